import ServiceLifecycle
import VideoIngest

/// Camera pulls as a service: the pulls configured before the last shutdown resume when the
/// application starts, and every puller stops when it shuts down (the settings stay, so they
/// resume after a restart).
struct PullServiceRunner: Service {
    let pulls: PullService

    func run() async throws {
        try pulls.resume()
        try? await gracefulShutdown()
        pulls.stopAll()
    }
}
