import Foundation
import GRDB

/// Keeping the archive within a disk quota: the oldest video goes first, across streams, a whole
/// segment file at a time (rows first, so readers stop finding them, then the file); from the file
/// a push is writing, its oldest fragments, their blocks released by punching a hole (a push can
/// run for days into one file).
extension FragmentStore {
    /// Bytes the stored fragments take.
    public func archiveBytes() throws -> Int64 {
        try database.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM fragments") ?? 0 }
    }

    /// Bytes one stream's fragments take.
    public func archiveBytes(streamID: Int64) throws -> Int64 {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM fragments WHERE stream_id = ?", arguments: [streamID]) ?? 0
        }
    }

    /// Drops the oldest segment files (by their oldest fragment's arrival) until at least `bytes`
    /// have gone or nothing more may go; returns what went, by stream name. With `streamID`, only
    /// that stream's files (its own `maxBytes`).
    public func dropOldest(bytes target: Int64, streamID only: Int64? = nil) throws -> [String: Expired] {
        var result: [String: Expired] = [:]
        var freed: Int64 = 0
        var skipped: Set<String> = []
        while freed < target {
            // The files skipped (being written) come first again: ask for enough to pass them.
            let candidates = try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT segment, stream_id, MIN(server_start) AS oldest FROM fragments
                    \(only == nil ? "" : "WHERE stream_id = ?") GROUP BY segment ORDER BY oldest LIMIT ?
                    """, arguments: StatementArguments((only.map { [$0] } ?? []) + [Int64(32 + skipped.count)]))
            }.map { (segment: $0["segment"] as String, streamID: $0["stream_id"] as Int64) }
                .filter { !skipped.contains($0.segment) }
            guard !candidates.isEmpty else { break }
            for candidate in candidates where freed < target {
                // Under the writers' lock, so that no push opens the file meanwhile (a push
                // continues its stream's newest file); the file a push is writing stays whole.
                let dropped = try writersLock.withLock { () throws -> (String, Expired)? in
                    guard writers[candidate.streamID]?.relativePath != candidate.segment else { return nil }
                    return try drop(segment: candidate.segment, streamID: candidate.streamID)
                }
                if let (name, gone) = dropped {
                    result[name, default: Expired()].add(gone)
                    freed += gone.fragmentBytes // the quota counts the index's bytes
                    continue
                }
                // A file being written (a push that has run for hours) gives up its oldest
                // fragments, a few MiB at a time so that the next oldest elsewhere comes next.
                let (name, gone) = try dropOldestFragments(segment: candidate.segment, streamID: candidate.streamID,
                                                           bytes: min(target - freed, 8 << 20))
                if gone.fragments == 0 {
                    skipped.insert(candidate.segment)
                    continue
                }
                result[name, default: Expired()].add(gone)
                freed += gone.fragmentBytes // the quota counts the index's bytes
                break // ask again which file now holds the oldest video
            }
        }
        return result
    }

    /// Removes a file's oldest fragments, at least `bytes` of them but never its newest, and
    /// punches their bytes out of the file (its size and the other fragments' offsets stay).
    private func dropOldestFragments(segment: String, streamID: Int64, bytes: Int64) throws -> (String, Expired) {
        var gone = Expired()
        var range: (start: Int64, end: Int64)?
        let name: String = try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT number, offset, size FROM fragments WHERE segment = ? ORDER BY offset",
                                        arguments: [segment])
            var doomed: [Int64] = []
            for row in rows.dropLast() where gone.fragmentBytes < bytes {
                doomed.append(row["number"])
                gone.fragments += 1
                gone.fragmentBytes += row["size"] as Int64
                let start: Int64 = row["offset"]
                range = (range?.start ?? start, start + (row["size"] as Int64))
            }
            if !doomed.isEmpty {
                try db.execute(sql: "DELETE FROM fragments WHERE number IN (\(doomed.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments(doomed))
            }
            return try String.fetchOne(db, sql: "SELECT name FROM streams WHERE id = ?", arguments: [streamID]) ?? "#\(streamID)"
        }
        if let range { SegmentFile.punchHole(path: segmentPath(segment), offset: range.start, length: range.end - range.start) }
        return (name, gone)
    }

    /// Removes one segment file and every fragment in it.
    private func drop(segment: String, streamID: Int64) throws -> (String, Expired) {
        var gone = Expired()
        let name: String = try database.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM fragments WHERE segment = ?",
                                       arguments: [segment])
            gone.fragments = row?["n"] ?? 0
            gone.fragmentBytes = row?["bytes"] ?? 0
            try db.execute(sql: "DELETE FROM fragments WHERE segment = ?", arguments: [segment])
            return try String.fetchOne(db, sql: "SELECT name FROM streams WHERE id = ?", arguments: [streamID]) ?? "#\(streamID)"
        }
        let path = segmentPath(segment)
        // Allocated blocks: holes punched while it was written were counted then.
        let size = SegmentFile.diskUsage(path: path)
        if (try? FileManager.default.removeItem(atPath: path)) != nil {
            gone.files = 1
            gone.fileBytes = size
        }
        return (name, gone)
    }
}

extension FragmentStore.Expired {
    mutating func add(_ other: Self) {
        fragments += other.fragments
        fragmentBytes += other.fragmentBytes
        files += other.files
        fileBytes += other.fileBytes
    }
}
