/// A video stream as stored: its identity plus what its latest init segment carries.
public struct StreamRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var createdAt: Int64
    public var tracks: [TrackDescription]
}

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

/// Totals over a stream's stored fragments.
public struct StreamStatistics: Sendable, Equatable {
    public var fragmentCount: Int
    public var bytes: Int64
    public var firstProducer: Int64?
    public var lastProducer: Int64?
    public var firstServer: Int64?
    public var lastServer: Int64?
}

public enum StreamName {
    public static let rule = "stream name must be 1-256 characters of [a-zA-Z0-9_.-]"

    /// KVS stream names: 1–256 characters of `[a-zA-Z0-9_.-]`.
    public static func isValid(_ name: String) -> Bool {
        guard (1...256).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x5F || c == 0x2E || c == 0x2D
        }
    }
}
