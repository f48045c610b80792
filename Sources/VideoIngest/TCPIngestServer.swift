import Logging
import NIOCore
import NIOPosix

/// `--tcp-ingest cam3=9001`: for devices that can only open a socket and write a container
/// (fMP4, MPEG-TS or Matroska, sniffed). Each connection is one push into the named stream.
public struct TCPIngestServer: Sendable {
    let ingest: IngestService
    let streamName: String
    let logger: Logger

    public init(ingest: IngestService, streamName: String, logger: Logger) {
        self.ingest = ingest
        self.streamName = streamName
        self.logger = logger
    }

    public typealias Listener = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    public func bind(host: String, port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    public func serve(_ listener: Listener) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await self.handle(connection) }
                }
            }
        }
    }

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let remote = connection.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let session: IngestSession
        do {
            session = try ingest.begin(IngestRequest(streamName: streamName, source: "tcp", remoteAddress: remote))
        } catch {
            // No protocol to answer in: log why and close.
            logger.warning("TCP ingest refused", metadata: ["stream": "\(streamName)", "remote": "\(remote)", "error": "\(error)"])
            try? await connection.channel.close()
            return
        }
        async let outcome = session.run()
        do {
            try await connection.executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    if !(await session.input.write(Array(buffer: buffer))) { break }
                }
            }
        } catch {
            logger.debug("TCP ingest connection ended", metadata: ["stream": "\(streamName)", "error": "\(error)"])
        }
        session.input.finish()
        let result = await outcome
        logger.info("TCP ingest ended", metadata: ["stream": "\(streamName)", "remote": "\(remote)",
                                                   "fragments": "\(result.summary.fragments)",
                                                   "error": "\(result.error.map { "\($0)" } ?? "none")"])
    }
}
