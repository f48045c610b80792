import ArgumentParser
import DataStreams
import Foundation
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

    @Option(help: "Data directory: SQLite index and segment files.")
    var data: String = "./videod-data"

    @Option(help: "Target fragment duration in seconds (fragments close at the first key frame after it).")
    var fragmentDuration: Double = 2

    @Option(help: "Longest fragment in seconds; a longer group of pictures is cut here.")
    var maxFragmentDuration: Double = 10

    @Flag(inversion: .prefixedNo, help: "Create a stream on its first push.")
    var autoCreate = true

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard fragmentDuration > 0, maxFragmentDuration >= fragmentDuration else {
            throw ValidationError("--fragment-duration must be > 0 and no more than --max-fragment-duration")
        }
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
        let ingest = IngestService(
            store: store,
            configuration: IngestConfiguration(
                fragmenter: .init(targetDuration: Int64(fragmentDuration * 1_000_000),
                                  maxDuration: Int64(maxFragmentDuration * 1_000_000)),
                autoCreateStreams: autoCreate),
            logger: logger)
        let dataStreams = try DataStreamService(log: SQLiteRecordLog(path: directory + "/datastreams.sqlite"))
        let router = Router()
        VideoRoutes(store: store, ingest: ingest).register(on: router)
        KinesisRoutes(service: dataStreams).register(on: router)
        DataStreamEventsRoutes(service: dataStreams).register(on: router)
        let address = http
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "videod"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                // Tests and scripts read this line to find an ephemeral port.
                FileHandle.standardOutput.write(Data("videod listening on http://\(address.host):\(port)\n".utf8))
                logger.info("HTTP API listening", metadata: ["address": "\(address.host):\(port)"])
            },
            logger: logger)
        logger.info("data directory", metadata: ["path": "\(directory)"])
        if !address.isLoopback {
            logger.warning("listening beyond loopback with no authentication configured")
        } else {
            logger.info("authentication is off (no access keys configured); listening on loopback only")
        }
        try await app.runService()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
