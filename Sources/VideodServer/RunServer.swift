#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs videod until SIGTERM or SIGINT. The first one drains (`ShutdownSequence`: pushes end at a
/// fragment boundary, analysis finishes) and then stops the servers in order; the process then
/// exits 0. SIGHUP reloads the TLS certificate. A second SIGTERM exits at once (status 128 + signal): an operator who cannot wait loses
/// only what an unclean stop loses (the index is crash-safe).
public func runServer(_ configuration: ServerConfiguration) async throws {
    let logger = configuration.logger
    let (application, shutdown, certificate) = try await assembleServer(configuration)
    var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: logger)
    // A reader streaming a live response (GetMedia, SSE) does not hold the exit up for long.
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
    let group = ServiceGroup(configuration: groupConfiguration)
    let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        tasks.addTask {
            var received = 0
            for await signal in signals {
                if signal == .sighup {
                    // A renewed certificate (certbot's deploy hook, say): new connections use it.
                    certificate?.reload()
                    continue
                }
                received += 1
                if received > 1 {
                    logger.warning("second \(signal): exiting now")
                    _exit(128 + signal.rawValue)
                }
                logger.notice("\(signal): shutting down gracefully (send it again to exit at once)")
                Task {
                    await shutdown.drain()
                    await group.triggerGracefulShutdown()
                }
            }
        }
        try await tasks.next()
        tasks.cancelAll()
    }
}
