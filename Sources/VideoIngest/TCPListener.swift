import NIOCore
import NIOPosix

/// A listening TCP socket whose connections are handled as async byte streams, one task each
/// (RTSP and raw TCP ingest share it). Each connection can pace its reads (`paceReads`).
public struct TCPListener: Sendable {
    public typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let channel: NIOAsyncChannel<Connection, Never>

    /// Binds (port 0 picks one; see `port`).
    public static func bind(host: String, port: Int) async throws -> TCPListener {
        TCPListener(channel: try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReadPacingHandler())
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            })
    }

    public var port: Int? { channel.channel.localAddress?.port }

    /// Accepts connections until the task is cancelled; `handle` runs once per connection.
    func serve(_ handle: @escaping @Sendable (Connection) async -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await channel.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await handle(connection) }
                }
            }
        }
    }
}
