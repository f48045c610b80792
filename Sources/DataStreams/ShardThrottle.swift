import Foundation

/// KDS's per-shard limits as token buckets, for users who want to exercise their back-off:
/// writes 1,000 records/s and 1 MiB/s, reads 5 GetRecords calls/s. Off by default; a stream opts
/// in with the tag `videod:throttle` = `on` (AddTagsToStream), so it can be set with any client.
final class ShardThrottle: @unchecked Sendable {
    static let tag = "videod:throttle"

    private struct Bucket {
        var records: Double = 1000
        var bytes: Double = 1_048_576
        var reads: Double = 5
        var updated: Int64
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private var enabled: [Int64: Bool] = [:]

    func isEnabled(_ streamID: Int64, tags: () throws -> [String: String]) rethrows -> Bool {
        if let known = lock.withLock({ enabled[streamID] }) { return known }
        let on = try tags()[Self.tag]?.lowercased() == "on"
        lock.withLock { enabled[streamID] = on }
        return on
    }

    /// Forgets a stream's cached setting (its tags changed, or it was deleted).
    func invalidate(_ streamID: Int64) {
        lock.withLock {
            enabled[streamID] = nil
            buckets = buckets.filter { !$0.key.hasPrefix("\(streamID)/") }
        }
    }

    /// Takes one record of `size` bytes from the shard's write allowance; false when exhausted.
    func admitWrite(stream: Int64, shard: Int, size: Int, now: Int64) -> Bool {
        lock.withLock {
            var bucket = refill(stream, shard, now)
            defer { buckets["\(stream)/\(shard)"] = bucket }
            guard bucket.records >= 1, bucket.bytes >= Double(size) else { return false }
            bucket.records -= 1
            bucket.bytes -= Double(size)
            return true
        }
    }

    func admitRead(stream: Int64, shard: Int, now: Int64) -> Bool {
        lock.withLock {
            var bucket = refill(stream, shard, now)
            defer { buckets["\(stream)/\(shard)"] = bucket }
            guard bucket.reads >= 1 else { return false }
            bucket.reads -= 1
            return true
        }
    }

    private func refill(_ stream: Int64, _ shard: Int, _ now: Int64) -> Bucket {
        var bucket = buckets["\(stream)/\(shard)"] ?? Bucket(updated: now)
        let seconds = Double(max(0, now - bucket.updated)) / 1000
        bucket.records = min(1000, bucket.records + 1000 * seconds)
        bucket.bytes = min(Double(1 << 20), bucket.bytes + Double(1 << 20) * seconds)
        bucket.reads = min(5, bucket.reads + 5 * seconds)
        bucket.updated = now
        return bucket
    }
}
