import FrameAnalysis
import Fragments
import Primitives
import VideoIngest

/// The JSON shape of a stream in `GET /streams` and `GET /streams/{name}`.
struct StreamDescription: Encodable {
    struct Range: Encodable {
        let first: String
        let last: String
        let firstEpoch: Double
        let lastEpoch: Double
    }

    let name: String
    let createdAt: String
    let tracks: [TrackDescription]
    let video: TrackDescription?
    let audio: TrackDescription?
    let fragmentCount: Int
    let bytes: Int64
    let producerTimestamps: Range?
    let serverTimestamps: Range?
    let ingesting: Bool
    /// The live session's source (protocol, remote, bitrate, losses), while one is receiving.
    let source: IngestSourceStatus?
    /// A pulled camera's state (connecting, receiving, reconnecting), its URL without credentials.
    let pull: PullStatus?
    let analysis: Analysis

    struct Analysis: Encodable {
        let enabled: Bool
        let detectors: [String]
        let dataStream: String
        /// The latest session's analyser: mode (what it skips to keep up), counts, lag.
        let status: AnalysisStatus?
    }

    init(stream: StreamRecord, statistics: StreamStatistics, source: IngestSourceStatus?, pull: PullStatus?, analysis: Analysis) {
        name = stream.name
        createdAt = Timestamp.rfc3339(stream.createdAt)
        tracks = stream.tracks
        video = stream.tracks.first { $0.kind == "video" }
        audio = stream.tracks.first { $0.kind == "audio" }
        fragmentCount = statistics.fragmentCount
        bytes = statistics.bytes
        producerTimestamps = Self.range(statistics.firstProducer, statistics.lastProducer)
        serverTimestamps = Self.range(statistics.firstServer, statistics.lastServer)
        ingesting = source != nil
        self.source = source
        self.pull = pull
        self.analysis = analysis
    }

    private static func range(_ first: Int64?, _ last: Int64?) -> Range? {
        guard let first, let last else { return nil }
        return Range(first: Timestamp.rfc3339(first), last: Timestamp.rfc3339(last),
                     firstEpoch: Timestamp.seconds(first), lastEpoch: Timestamp.seconds(last))
    }
}
