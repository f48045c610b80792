/// What a writer hands the store for one fragment.
public struct NewFragment: Sendable {
    public var producerStart: Int64
    public var serverStart: Int64
    public var duration: Int64
    public var discontinuity: Bool
    public var bytes: [UInt8]

    public init(producerStart: Int64, serverStart: Int64, duration: Int64, discontinuity: Bool, bytes: [UInt8]) {
        self.producerStart = producerStart
        self.serverStart = serverStart
        self.duration = duration
        self.discontinuity = discontinuity
        self.bytes = bytes
    }
}
