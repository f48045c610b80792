/// A fragment number: unique server-wide and growing within a stream. KVS shows fragment
/// numbers as decimal strings, and so does the API.
public typealias FragmentNumber = Int64

/// One stored fragment, as the index knows it. Timestamps are microseconds since the epoch.
public struct FragmentRecord: Sendable, Equatable, Codable {
    public var number: FragmentNumber
    public var streamID: Int64
    public var initID: Int64
    public var producerStart: Int64
    public var serverStart: Int64
    public var duration: Int64
    public var size: Int64
    public var segment: String
    public var offset: Int64
    public var discontinuity: Bool
    /// Its place among all the fragments the stream ever had (1, 2, …), kept when older ones are
    /// deleted: a live playlist's media sequence numbers, stable across retention sweeps.
    public var ordinal: Int64

    public init(number: FragmentNumber, streamID: Int64, initID: Int64, producerStart: Int64, serverStart: Int64,
                duration: Int64, size: Int64, segment: String, offset: Int64, discontinuity: Bool, ordinal: Int64 = 0) {
        self.number = number
        self.streamID = streamID
        self.initID = initID
        self.producerStart = producerStart
        self.serverStart = serverStart
        self.duration = duration
        self.size = size
        self.segment = segment
        self.offset = offset
        self.discontinuity = discontinuity
        self.ordinal = ordinal
    }

    public func start(_ kind: TimestampKind) -> Int64 {
        kind == .producer ? producerStart : serverStart
    }
}
