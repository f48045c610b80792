import ServiceLifecycle

/// A protocol server's accept loop (RTSP, raw TCP ingest) as a service of the application's
/// group: it runs until the group shuts down, then stops accepting.
struct ListenerService: Service {
    let serve: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await serve()
            } catch is CancellationError {
                // Shutting down.
            }
        }
    }
}
