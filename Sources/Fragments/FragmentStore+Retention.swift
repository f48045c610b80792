import Foundation
import GRDB

/// Removing what is past retention: index rows first (readers stop finding them), then the
/// segment files no row refers to any more, whole. A crash in between leaves files without rows,
/// which the next start removes. Segment files being appended to are kept.
extension FragmentStore {
    public struct Expired: Sendable, Equatable {
        public var fragments = 0
        public var fragmentBytes: Int64 = 0
        public var files = 0
        public var fileBytes: Int64 = 0

        /// Disk given back: the files removed, or the fragments' bytes while their file stays
        /// (others in it are kept, or it is being written).
        public var bytesFreed: Int64 { max(fileBytes, fragmentBytes) }
    }

    /// Removes the stream's fragments that arrived before `cutoff` (server time, µs).
    @discardableResult
    public func expire(streamID: Int64, arrivedBefore cutoff: Int64) throws -> Expired {
        var expired = Expired()
        let segments: [String] = try database.write { db in
            let touched = try String.fetchAll(db, sql: "SELECT DISTINCT segment FROM fragments WHERE stream_id = ? AND server_start < ?",
                                              arguments: [streamID, cutoff])
            let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM fragments WHERE stream_id = ? AND server_start < ?",
                                       arguments: [streamID, cutoff])
            expired.fragments = row?["n"] ?? 0
            expired.fragmentBytes = row?["bytes"] ?? 0
            try db.execute(sql: "DELETE FROM fragments WHERE stream_id = ? AND server_start < ?", arguments: [streamID, cutoff])
            return try touched.filter { segment in
                try Int.fetchOne(db, sql: "SELECT 1 FROM fragments WHERE segment = ? LIMIT 1", arguments: [segment]) == nil
            }
        }
        let open = openSegment(streamID: streamID)
        for segment in segments where segment != open {
            let path = segmentPath(segment)
            let size = SegmentFile.diskUsage(path: path)
            if (try? FileManager.default.removeItem(atPath: path)) != nil {
                expired.files += 1
                expired.fileBytes += size
            }
        }
        return expired
    }

    /// Expires every stream that has a retention; returns what went, by stream name.
    public func sweepRetention() throws -> [String: Expired] {
        var result: [String: Expired] = [:]
        for stream in try listStreams() {
            guard let cutoff = retention.cutoff(retentionHours: stream.attributes.retentionHours, now: clock()) else { continue }
            let expired = try expire(streamID: stream.id, arrivedBefore: cutoff)
            if expired.fragments > 0 || expired.files > 0 { result[stream.name] = expired }
        }
        return result
    }
}
