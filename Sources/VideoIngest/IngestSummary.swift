import Fragments

/// What one ingest session stored, returned when it ends (successfully or not).
public struct IngestSummary: Sendable, Codable, Equatable {
    public var stream: String
    public var container: String
    public var tracks: [TrackDescription]
    public var fragments: Int
    public var firstFragmentNumber: String?
    public var lastFragmentNumber: String?
    public var bytesReceived: Int64
    public var bytesStored: Int64
    public var droppedPackets: Int
    public var discontinuities: Int
    /// The server ended the session at a fragment boundary because it is shutting down; what
    /// came after that boundary was not read (the producer resends it after the restart).
    public var endedForShutdown: Bool?

    public init(stream: String) {
        self.stream = stream
        container = ""
        tracks = []
        fragments = 0
        bytesReceived = 0
        bytesStored = 0
        droppedPackets = 0
        discontinuities = 0
    }
}

/// How a session ended: its summary plus the error that ended it, if any.
public struct IngestOutcome: Sendable {
    public var summary: IngestSummary
    public var error: IngestError?
}
