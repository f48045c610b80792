/// A video stream as stored: its identity plus what its latest init segment carries.
public struct StreamRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// Microseconds since the epoch.
    public var createdAt: Int64
    public var tracks: [TrackDescription]
    public var attributes: StreamAttributes
}
