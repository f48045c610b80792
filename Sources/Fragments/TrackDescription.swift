/// One track of a stream's latest codec configuration.
public struct TrackDescription: Sendable, Equatable, Codable {
    public var kind: String
    public var codec: String
    public var width: Int?
    public var height: Int?
    public var sampleRate: Int?
    public var channels: Int?

    public init(kind: String, codec: String, width: Int? = nil, height: Int? = nil, sampleRate: Int? = nil, channels: Int? = nil) {
        self.kind = kind
        self.codec = codec
        self.width = width
        self.height = height
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
