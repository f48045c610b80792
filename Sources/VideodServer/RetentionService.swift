import Foundation
import Fragments
import Logging
import RouteSupport
import ServiceLifecycle

/// Deletes what is past each stream's retention (KVS's hours, then the stream's own `retention`
/// settings: events-aware thinning and `maxBytes`) and keeps the archive within the disk quota,
/// every `interval` seconds, off the event loops: index rows at once (reads already hide expired
/// ones), whole segment files once nothing in them is kept; over the quota, the oldest segment
/// files across streams go first.
struct RetentionService: Service {
    let store: FragmentStore
    let interval: Int64
    let quota: DiskQuota
    let dataDirectory: String
    let logger: Logger
    /// What the last sweep could not bring within the quota (for `/ready`).
    let standing: QuotaStanding
    /// Bytes dropped, by cause ("retention", "stream-max-bytes", "quota").
    let dropped: @Sendable (_ cause: String, _ bytes: Int64) -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            // Shutting down: a sweep between two sleeps is not a failure.
        }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            do {
                let (store, quota, directory) = (self.store, self.quota, self.dataDirectory)
                let expired = try await blocking { try store.sweepRetention() }
                report(expired, cause: "retention")
                // Streams' own settings: thinning to events past `all`, then `maxBytes`.
                let own = try await blocking { try store.sweepStreamRetention() }
                report(own.byAge, cause: "retention")
                report(own.bySize, cause: "stream-max-bytes")
                let (overQuota, shortfall) = try await blocking { try Self.enforce(quota, store: store, directory: directory) }
                report(overQuota, cause: "quota")
                standing.shortfall = shortfall
            } catch {
                logger.warning("retention sweep failed; trying again later", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    /// Drops the oldest video until the archive is within `quota`; returns what went and the bytes
    /// still over it.
    static func enforce(_ quota: DiskQuota, store: FragmentStore, directory: String) throws
        -> ([String: FragmentStore.Expired], shortfall: Int64) {
        guard let volume = VolumeSpace(directory: directory) else { return ([:], 0) }
        let excess = quota.excess(archiveBytes: try store.archiveBytes(), volumeTotal: volume.total, volumeFree: volume.free)
        guard excess > 0 else { return ([:], 0) }
        let gone = try store.dropOldest(bytes: excess)
        let freed = gone.values.reduce(Int64(0)) { $0 + $1.fragmentBytes }
        return (gone, max(0, excess - freed))
    }

    private func report(_ gone: [String: FragmentStore.Expired], cause: String) {
        for (stream, expired) in gone {
            dropped(cause, expired.bytesFreed)
            logger.info("\(cause): dropped fragments", metadata: [
                "stream": "\(stream)", "fragments": "\(expired.fragments)", "files": "\(expired.files)", "bytes": "\(expired.fileBytes)"])
        }
    }
}
