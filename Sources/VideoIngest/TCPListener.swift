import Logging
import NIOCore
import NIOPosix
import Primitives

/// A listening TCP socket whose connections are handled as async byte streams, one task each
/// (RTSP and raw TCP ingest share it). Each connection can pace its reads (`paceReads`).
public struct TCPListener: Sendable {
    public typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let channel: NIOAsyncChannel<Connection, Never>
    /// Connections past the cap are closed at once (no thread, no session for them).
    let limit: ConnectionLimit

    /// Binds (port 0 picks one; see `port`). A connection that sends nothing for `idleTimeout`
    /// is closed. `prepare` puts handlers first in each connection's pipeline (TLS).
    public static func bind(host: String, port: Int, maxConnections: Int = 2000,
                            idleTimeout: TimeAmount = .seconds(60),
                            prepare: (@Sendable (any Channel) throws -> Void)? = nil) async throws -> TCPListener {
        TCPListener(channel: try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try prepare?(channel)
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(readTimeout: idleTimeout), CloseOnIdleHandler(), ReadPacingHandler())
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }, limit: ConnectionLimit(maximum: maxConnections))
    }

    public var port: Int? { channel.channel.localAddress?.port }

    /// Connections being served now.
    public var openConnections: Int { limit.count }

    /// Accepts connections until the task is cancelled; `handle` runs once per connection.
    func serve(logger: Logger, _ handle: @escaping @Sendable (Connection) async -> Void) async throws {
        let limit = self.limit
        try await withThrowingDiscardingTaskGroup { group in
            try await channel.executeThenClose { connections in
                for try await connection in connections {
                    guard limit.acquire() else {
                        logger.warning("connection refused: the listener is at its cap (--max-connections)",
                                       metadata: ["open": "\(limit.maximum)"])
                        // Closed through the async channel (dropping it unclosed is a NIO trap).
                        group.addTask { try? await connection.executeThenClose { _, _ in } }
                        continue
                    }
                    group.addTask {
                        await handle(connection)
                        limit.release()
                    }
                }
            }
        }
    }
}
