import Fragments
import Logging
import RouteSupport
import ServiceLifecycle

/// Deletes what is past each stream's retention, every `interval` seconds, off the event loops:
/// index rows at once (reads already hide them), whole segment files once nothing in them is kept.
struct RetentionService: Service {
    let store: FragmentStore
    let interval: Int64
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await loop() }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            do {
                let store = self.store
                let expired = try await blocking { try store.sweepRetention() }
                for (stream, gone) in expired {
                    logger.info("retention: expired fragments", metadata: [
                        "stream": "\(stream)", "fragments": "\(gone.fragments)", "files": "\(gone.files)", "bytes": "\(gone.fileBytes)"])
                }
            } catch {
                logger.warning("retention sweep failed; trying again later", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
