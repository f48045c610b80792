import AWSProtocol
import Credentials
import FrameAnalysis
import Fragments
import Logging
import VideoIngest

/// Everything `buildApplication` needs, as the CLI (or a test) decides it.
public struct ServerConfiguration: Sendable {
    /// A raw TCP ingest listener: every connection's bytes are one push into `streamName`.
    public struct TCPIngest: Sendable {
        public var streamName: String
        public var address: ListenAddress

        public init(streamName: String, address: ListenAddress) {
            self.streamName = streamName
            self.address = address
        }
    }

    /// What is wrong with a configuration, in words for the operator.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public var http = ListenAddress("127.0.0.1:8080")!
    public var rtsp = ListenAddress("127.0.0.1:8554")!
    public var tcpIngest: [TCPIngest] = []
    /// SQLite index, segment files and the data streams' log.
    public var dataDirectory = "./videod-data"
    public var fragmenter = Fragmenter.Configuration()
    /// A push whose open fragment grows past this many bytes ends with `MalformedMedia`.
    public var maxFragmentBytes = 64 << 20
    /// Pushes and pulls that may run at once; one more is refused (HTTP 503, RTSP 453).
    public var maxIngestSessions = 1000
    /// A fragmented MP4 push is read by a fresh demuxer every this many moofs (`ChainedMP4Demuxer`).
    public var moofsPerDemuxer = 256
    /// Streams analysed at once; a push past it is stored but not analysed (its status says so).
    public var maxAnalysedStreams = 256
    /// Open connections per listener (HTTP, RTSP, each raw TCP one); one more is answered 503 (HTTP)
    /// or closed at once.
    public var maxConnections = 2000
    /// Seconds an HTTP push or raw TCP connection may send nothing before it is closed (what it
    /// pushed is kept and its stream is free again).
    public var idleTimeout: Int64 = 30
    /// Accept RTSP Basic authentication (the secret crosses the network in clear; Digest does not).
    public var rtspBasicAuth = false
    /// The RTSP session timeout: advertised in the Session header (`timeout=`), and enforced.
    public var rtspSessionTimeout: Int64 = 60
    public var autoCreateStreams = true
    /// Empty: authentication off, and then only loopback addresses may be used.
    public var accessKeys = AccessKeys([:])
    /// Analysis settings of streams that never set theirs (`dataStream` is where events go).
    public var analysisDefaults = AnalysisSettings()
    /// Base URL of the HTTP API as clients reach it, for links in events (default: the HTTP address).
    public var publicURL: String?
    /// The web origin whose pages may call the HTTP API from a browser (hls.js, dash.js, a
    /// `<video>` drawn to a canvas), or "*" for any. Nil: no CORS headers, so no other site's page
    /// can read the archive or call the API through a visitor's browser.
    public var corsOrigin: String?
    /// Bytes of encoded images (image.jpg, GetImages) kept for repeated requests; 0: none.
    public var imageCacheBytes = 64 << 20
    /// How much disk the archive may take; the oldest video goes first beyond it.
    public var diskQuota = DiskQuota.standard
    public var identity = AWSIdentity.local
    /// Seconds between retention sweeps (reads hide expired fragments at once regardless).
    public var retentionSweepSeconds: Int64 = 60
    /// What a stream with DataRetentionInHours 0 keeps, seconds (KVS keeps a live buffer).
    public var liveBufferSeconds: Int64 = 300
    /// Seconds SIGTERM waits for pushes to reach a fragment boundary and for analysis to finish
    /// before the servers stop (a second SIGTERM exits at once).
    public var shutdownTimeout: Int64 = 20
    /// PEM certificate chain and key: HTTPS for the HTTP APIs and RTSP over TLS (`rtsps://`);
    /// reloaded on SIGHUP. Both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Streams the configuration file declares, applied at start before pulls resume.
    public var declaredStreams: [DeclaredStream] = []
    /// Where the listening addresses are announced (scripts and tests read these lines).
    public var announce: @Sendable (String) -> Void = { _ in }
    public var logger = Logger(label: "videod")

    public init() {}

    /// Refuses what would be unsafe or cannot work, with the reason.
    public func validate() throws {
        guard fragmenter.targetDuration > 0 else { throw Invalid(description: "the fragment duration must be > 0") }
        guard (1...86_400).contains(retentionSweepSeconds), (1...86_400).contains(liveBufferSeconds) else {
            throw Invalid(description: "--retention-sweep-seconds and --live-buffer-seconds must be 1…86400")
        }
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else {
            throw Invalid(description: "--tls-cert and --tls-key go together")
        }
        guard (1...3_600).contains(shutdownTimeout) else { throw Invalid(description: "--shutdown-timeout must be 1…3600 seconds") }
        guard (1...86_400).contains(idleTimeout), (1...86_400).contains(rtspSessionTimeout) else {
            throw Invalid(description: "--idle-timeout and --rtsp-session-timeout must be 1…86400 seconds")
        }
        guard (1...100_000_000).contains(moofsPerDemuxer) else { throw Invalid(description: "--moofs-per-demuxer must be 1…100000000") }
        guard maxIngestSessions > 0, maxConnections > 0, maxFragmentBytes > 0, maxAnalysedStreams >= 0 else {
            throw Invalid(description: "--max-ingest-sessions, --max-connections and the fragment size limit must be positive")
        }
        if let problem = analysisDefaults.problem() { throw Invalid(description: "--events-stream: \(problem)") }
        if accessKeys.isEmpty && !http.isLoopback {
            throw Invalid(description: "refusing to listen on \(http) without access keys: set --access-key/--secret-key or bind to 127.0.0.1")
        }
        if accessKeys.isEmpty && !rtsp.isLoopback {
            throw Invalid(description: "refusing RTSP on \(rtsp) without access keys: set --access-key/--secret-key (RTSP clients then use rtsp://KEY:SECRET@host/stream) or bind to 127.0.0.1")
        }
        for tcp in tcpIngest {
            guard StreamName.isValid(tcp.streamName) else {
                throw Invalid(description: "--tcp-ingest: \(StreamName.rule)")
            }
            guard tcp.address.isLoopback else {
                throw Invalid(description: "refusing raw TCP ingest on \(tcp.address): it has no authentication, so it listens on loopback only")
            }
        }
    }
}
