/// A video stream as stored: its identity plus what its latest init segment carries.
public struct StreamRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var createdAt: Int64
    public var tracks: [TrackDescription]
}
