import Logging
import NIOCore
import NIOPosix

/// The RTSP 1.0 ingest server on SwiftNIO: one `RTSPConnection` per TCP connection, driven by
/// an async loop over the socket so that waiting for the ingest queue stops reading (TCP
/// backpressure to the encoder) and a slow stream never holds up another.
public struct RTSPServer: Sendable {
    let ingest: IngestService
    let logger: Logger

    public init(ingest: IngestService, logger: Logger) {
        self.ingest = ingest
        self.logger = logger
    }

    public typealias Listener = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    /// Binds the listening socket (port 0 picks one; read it from `localAddress`).
    public func bind(host: String, port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Accepts connections until the task is cancelled.
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
        let rtsp = RTSPConnection(ingest: ingest, remote: remote, logger: logger)
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await buffer in inbound {
                    let (reply, close) = await rtsp.receive(Array(buffer: buffer))
                    if !reply.isEmpty { try await outbound.write(ByteBuffer(bytes: reply)) }
                    if close { break }
                }
            }
        } catch {
            logger.debug("RTSP connection ended", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
        await rtsp.closed()
    }
}
