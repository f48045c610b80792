import ArgumentParser
import AWSProtocol
import Credentials
import Foundation
import FrameAnalysis
import Fragments
import Logging
import Media
import VideodServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(help: "YAML file with the server's settings (server: the flags, by name) and its streams (streams: name, source, analysis, retention). Flags on the command line win over the file.")
    var config: String?

    @Option(help: "HTTP listen address (HOST:PORT; port 0 picks a free one).")
    var http: ListenAddress = ListenAddress("127.0.0.1:8080")!

    @Option(help: "RTSP listen address for pushes (ANNOUNCE/RECORD, RTP over TCP); port 0 picks a free one.")
    var rtsp: ListenAddress = ListenAddress("127.0.0.1:8554")!

    @Option(help: "Raw TCP ingest: NAME=PORT or NAME=HOST:PORT (repeatable); each connection's bytes are a pushed container.")
    var tcpIngest: [String] = []

    @Option(help: "Data directory: SQLite index and segment files.")
    var data: String = "./videod-data"

    @Option(help: "Target fragment duration in seconds (fragments close at the first key frame after it).")
    var fragmentDuration: Double = 2

    @Option(help: "Longest fragment in seconds; a longer group of pictures is cut here.")
    var maxFragmentDuration: Double = 10

    @Option(help: "Pushes and camera pulls that may run at once; one more is refused (HTTP 503, RTSP 453).")
    var maxIngestSessions = 1000

    @Option(help: ArgumentHelp("Fragments (moofs) of a fragmented MP4 push one demuxer reads before a fresh one takes over; bounds the memory a long push holds.", visibility: .hidden))
    var moofsPerDemuxer = 256

    @Option(help: "Streams analysed at once; a push past it is stored but not analysed (its status says so).")
    var maxAnalysedStreams = 256

    @Option(help: "Open connections per listener (HTTP, RTSP, raw TCP); one more is answered 503 (HTTP) or closed.")
    var maxConnections = 2000

    @Option(help: "Seconds an HTTP push or raw TCP connection may send nothing before it is closed.")
    var idleTimeout: Int64 = 30

    @Option(help: "RTSP session timeout in seconds: advertised to clients, and a connection silent for longer is closed.")
    var rtspSessionTimeout: Int64 = 60

    @Flag(help: "Accept RTSP Basic authentication too (it sends the secret in clear; Digest does not).")
    var rtspBasicAuth = false

    @Flag(inversion: .prefixedNo, help: "Create a stream on its first push.")
    var autoCreate = true

    @Option(help: "Access key id clients sign requests with (SigV4; Basic auth on native routes). Also VIDEOD_ACCESS_KEY.")
    var accessKey: String?

    @Option(help: "Secret for --access-key. Also VIDEOD_SECRET_KEY.")
    var secretKey: String?

    @Option(help: "AWS-style credentials file; every profile's key pair is accepted.")
    var credentialsFile: String?

    @Flag(inversion: .prefixedNo, help: "Analyse new streams (motion and scene-change events) unless their settings say otherwise.")
    var analysis = true

    @Option(help: "Data stream that analysis events go to by default.")
    var eventsStream = "videod-events"

    @Option(help: "Base URL of the HTTP API as clients reach it, for links in events (default: the --http address).")
    var publicURL: String?

    @Option(help: "PEM certificate chain: serve the HTTP APIs over HTTPS and RTSP over TLS (rtsps://). Reloaded on SIGHUP.")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Web origin (like https://nvr.example:8443, or *) whose pages may call the HTTP API from a browser (CORS). Default: none.")
    var corsOrigin: String?

    @Option(help: "MiB of encoded images (image.jpg, GetImages) kept for repeated requests; 0 turns the cache off.")
    var imageCacheMb = 64

    @Option(help: "Disk the archive may use: a size (500G, 1.5T, 300M) or a share of the data volume (40%). Beyond it the oldest video goes first, across streams. Default: keep 5% of the volume free.")
    var maxDiskUsage: String?

    @Option(help: "Seconds between retention sweeps (reads hide fragments past retention at once).")
    var retentionSweepSeconds: Int64 = 60

    @Option(help: "Seconds a stream with DataRetentionInHours 0 keeps (a live buffer, as KVS keeps for GetMedia).")
    var liveBufferSeconds: Int64 = 300

    @Option(help: "Seconds SIGTERM waits for pushes to reach a fragment boundary and analysis to finish before stopping; a second SIGTERM exits at once.")
    var shutdownTimeout: Int64 = 20

    @Option(help: "AWS region videod answers as (in ARNs).")
    var region = "us-east-1"

    @Option(help: "AWS account id videod answers as (in ARNs and messages), 12 digits.")
    var accountId = "000000000000"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard fragmentDuration > 0, maxFragmentDuration >= fragmentDuration else {
            throw ValidationError("--fragment-duration must be > 0 and no more than --max-fragment-duration")
        }
        guard maxFragmentDuration <= 3600 else {
            throw ValidationError("--max-fragment-duration must be at most 3600 seconds")
        }
    }

    /// Keys from flags, environment and credentials file; empty means authentication is off.
    func accessKeys() throws -> AccessKeys {
        var keys: [String: String] = [:]
        let environment = ProcessInfo.processInfo.environment
        let id = accessKey ?? environment["VIDEOD_ACCESS_KEY"]
        let secret = secretKey ?? environment["VIDEOD_SECRET_KEY"]
        switch (id, secret) {
        case let (id?, secret?): keys[id] = secret
        case (nil, nil): break
        default: throw ValidationError("--access-key and --secret-key go together")
        }
        if let credentialsFile {
            keys.merge(try AccessKeys.credentialsFile(credentialsFile)) { a, _ in a }
        }
        return AccessKeys(keys)
    }

    /// The server's configuration from the flags.
    func serverConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.http = http
        configuration.rtsp = rtsp
        configuration.tcpIngest = try tcpIngest.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2,
                  let address = ListenAddress(parts[1].contains(":") ? parts[1] : "127.0.0.1:" + parts[1]) else {
                throw ValidationError("--tcp-ingest takes NAME=PORT or NAME=HOST:PORT, not \(spec)")
            }
            guard StreamName.isValid(parts[0]) else {
                throw ValidationError("--tcp-ingest takes NAME=PORT or NAME=HOST:PORT, not \(spec)")
            }
            return ServerConfiguration.TCPIngest(streamName: parts[0], address: address)
        }
        configuration.dataDirectory = data
        configuration.fragmenter = .init(targetDuration: Int64(fragmentDuration * 1_000_000),
                                         maxDuration: Int64(maxFragmentDuration * 1_000_000))
        configuration.autoCreateStreams = autoCreate
        configuration.maxIngestSessions = maxIngestSessions
        configuration.moofsPerDemuxer = moofsPerDemuxer
        configuration.maxConnections = maxConnections
        configuration.maxAnalysedStreams = maxAnalysedStreams
        configuration.idleTimeout = idleTimeout
        configuration.rtspBasicAuth = rtspBasicAuth
        configuration.rtspSessionTimeout = rtspSessionTimeout
        configuration.accessKeys = try accessKeys()
        configuration.analysisDefaults.enabled = analysis
        configuration.analysisDefaults.dataStream = eventsStream
        configuration.publicURL = publicURL
        configuration.corsOrigin = corsOrigin
        configuration.tlsCertificatePath = tlsCert
        configuration.tlsKeyPath = tlsKey
        guard (0...65_536).contains(imageCacheMb) else { throw ValidationError("--image-cache-mb must be 0 to 65536") }
        configuration.imageCacheBytes = imageCacheMb << 20
        if let maxDiskUsage {
            guard let quota = DiskQuota(maxDiskUsage) else {
                throw ValidationError("--max-disk-usage must be a size like 500G, 1.5T or 300M, or a percentage like 40%")
            }
            configuration.diskQuota = quota
        }
        guard accountId.count == 12, accountId.allSatisfy(\.isNumber),
              !region.isEmpty, region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw ValidationError("--region must look like us-east-1 and --account-id be 12 digits")
        }
        configuration.identity = AWSIdentity(region: region, account: accountId)
        configuration.retentionSweepSeconds = retentionSweepSeconds
        configuration.liveBufferSeconds = liveBufferSeconds
        configuration.shutdownTimeout = shutdownTimeout
        configuration.announce = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        configuration.logger = Logger(label: "videod")
        return configuration
    }

    func run() async throws {
        guard let config else { return try await start(declaring: []) }
        let file: ConfigFile
        do {
            file = try ConfigFile.load(path: config)
        } catch let problem as ConfigFile.Problem {
            throw ValidationError(problem.description)
        }
        // The file's flags first: the command line's own, parsed after them, win.
        let merged: Serve
        do {
            merged = try Serve.parse(file.arguments + Self.commandLineArguments())
        } catch {
            throw ValidationError("\(config): \(Serve.message(for: error))")
        }
        try await merged.start(declaring: file.streams)
    }

    /// This process's arguments after the program (and the `serve` subcommand, if named).
    static func commandLineArguments() -> [String] {
        let arguments = Array(CommandLine.arguments.dropFirst())
        return arguments.first == "serve" ? Array(arguments.dropFirst()) : arguments
    }

    private func start(declaring streams: [DeclaredStream]) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        MediaLogging.quiet()
        var configuration = try serverConfiguration()
        configuration.declaredStreams = streams
        do {
            try configuration.validate()
        } catch let invalid as ServerConfiguration.Invalid {
            throw ValidationError(invalid.description)
        }
        // Returns after SIGTERM/SIGINT once pushes ended at a fragment boundary, analysis
        // finished and the servers stopped (a second signal exits at once).
        try await runServer(configuration)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension ListenAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
