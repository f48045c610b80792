import NIOPosix

/// Runs blocking work (SQLite reads, file reads) on NIO's thread pool so that neither event
/// loops nor the cooperative executor wait on the disk.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
