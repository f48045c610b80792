import ArgumentParser
import Credentials
import DataStreams
import Foundation
import FrameAnalysis
import Fragments
import Hummingbird
import Logging
import Media
import VideoAPI
import VideoIngest

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(help: "HTTP listen address (HOST:PORT; port 0 picks a free one).")
    var http: HostPort = HostPort(argument: "127.0.0.1:8080")!

    @Option(help: "RTSP listen address for pushes (ANNOUNCE/RECORD, RTP over TCP); port 0 picks a free one.")
    var rtsp: HostPort = HostPort(argument: "127.0.0.1:8554")!

    @Option(help: "Raw TCP ingest: NAME=PORT or NAME=HOST:PORT (repeatable); each connection's bytes are a pushed container.")
    var tcpIngest: [String] = []

    @Option(help: "Data directory: SQLite index and segment files.")
    var data: String = "./videod-data"

    @Option(help: "Target fragment duration in seconds (fragments close at the first key frame after it).")
    var fragmentDuration: Double = 2

    @Option(help: "Longest fragment in seconds; a longer group of pictures is cut here.")
    var maxFragmentDuration: Double = 10

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

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard fragmentDuration > 0, maxFragmentDuration >= fragmentDuration else {
            throw ValidationError("--fragment-duration must be > 0 and no more than --max-fragment-duration")
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

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        MediaLogging.quiet()
        let logger = Logger(label: "videod")
        let directory = URL(fileURLWithPath: data).standardizedFileURL.path
        let store = try FragmentStore(directory: directory)
        let dataStreams = try DataStreamService(log: SQLiteRecordLog(path: directory + "/datastreams.sqlite"))
        let publisher = AnalysisEventPublisher(dataStreams: dataStreams, store: store,
                                               baseURL: publicURL ?? "http://\(http.host):\(http.port)")
        var analysisDefaults = AnalysisSettings()
        analysisDefaults.enabled = analysis
        analysisDefaults.dataStream = eventsStream
        if let problem = analysisDefaults.problem() { throw ValidationError("--events-stream: \(problem)") }
        // Consumers can start reading (LATEST) before the first event.
        if analysis { try dataStreams.ensureStream(named: eventsStream) }
        let analyser = AnalysisService(store: store, sink: publisher, defaults: analysisDefaults, logger: logger)
        let ingest = IngestService(
            store: store,
            configuration: IngestConfiguration(
                fragmenter: .init(targetDuration: Int64(fragmentDuration * 1_000_000),
                                  maxDuration: Int64(maxFragmentDuration * 1_000_000)),
                autoCreateStreams: autoCreate),
            logger: logger, observer: analyser)
        let keys = try accessKeys()
        let address = http
        if keys.isEmpty && !address.isLoopback {
            throw ValidationError("refusing to listen on \(address) without access keys: set --access-key/--secret-key or bind to 127.0.0.1")
        }
        if keys.isEmpty && !rtsp.isLoopback {
            throw ValidationError("refusing RTSP on \(rtsp) without access keys: set --access-key/--secret-key (RTSP clients then use rtsp://KEY:SECRET@host/stream) or bind to 127.0.0.1")
        }
        let authenticator = keys.isEmpty ? nil : RequestAuthenticator(keys: keys)
        let router = Router()
        if let authenticator { router.add(middleware: NativeAuthMiddleware(authenticator: authenticator)) }
        let pulls = PullService(ingest: ingest, logger: logger)
        try pulls.resume()
        VideoRoutes(store: store, ingest: ingest, analysis: analyser, dataStreams: dataStreams, pulls: pulls).register(on: router)
        KinesisRoutes(service: dataStreams, authenticator: authenticator).register(on: router)
        DataStreamEventsRoutes(service: dataStreams).register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "videod"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                if publicURL == nil { publisher.baseURL = "http://\(address.host):\(port)" }
                // Tests and scripts read this line to find an ephemeral port.
                FileHandle.standardOutput.write(Data("videod listening on http://\(address.host):\(port)\n".utf8))
                logger.info("HTTP API listening", metadata: ["address": "\(address.host):\(port)"])
            },
            logger: logger)
        logger.info("data directory", metadata: ["path": "\(directory)"])
        if keys.isEmpty {
            logger.notice("authentication is off (no access keys configured); listening on loopback only")
        } else {
            logger.info("SigV4 authentication on", metadata: ["keys": "\(keys.secrets.count)"])
        }
        var tcpListeners: [(TCPIngestServer, TCPListener)] = []
        for spec in tcpIngest {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, StreamName.isValid(parts[0]),
                  let address = HostPort(argument: parts[1].contains(":") ? parts[1] : "127.0.0.1:" + parts[1]) else {
                throw ValidationError("--tcp-ingest takes NAME=PORT or NAME=HOST:PORT, not \(spec)")
            }
            guard address.isLoopback else {
                throw ValidationError("refusing raw TCP ingest on \(address): it has no authentication, so it listens on loopback only")
            }
            let server = TCPIngestServer(ingest: ingest, streamName: parts[0], logger: logger)
            let listener = try await TCPListener.bind(host: address.host, port: address.port)
            let port = listener.port ?? address.port
            FileHandle.standardOutput.write(Data("videod tcp-ingest \(parts[0]) on tcp://\(address.host):\(port)\n".utf8))
            tcpListeners.append((server, listener))
        }
        let rtspServer = RTSPServer(ingest: ingest, logger: logger,
                                    authenticator: keys.isEmpty ? nil : RTSPAuthenticator(keys: keys))
        let listener = try await TCPListener.bind(host: rtsp.host, port: rtsp.port)
        let rtspPort = listener.port ?? rtsp.port
        // Printed before the HTTP line, which scripts wait for.
        FileHandle.standardOutput.write(Data("videod rtsp on rtsp://\(rtsp.host):\(rtspPort)\n".utf8))
        logger.info("RTSP ingest listening", metadata: ["address": "\(rtsp.host):\(rtspPort)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await rtspServer.serve(listener) }
            for (server, tcpListener) in tcpListeners {
                group.addTask { try await server.serve(tcpListener) }
            }
            group.addTask { try await app.runService() }
            // The HTTP service returns on SIGTERM/SIGINT; then RTSP stops too.
            try await group.next()
            group.cancelAll()
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
