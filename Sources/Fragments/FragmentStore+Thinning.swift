import Foundation
import GRDB
import Primitives

/// Event-aware retention: of a stream's fragments past its `all` period, only those around events
/// stay. Index rows go first (readers stop finding them) and a kept fragment that follows a removed
/// one is marked discontinuous, so listings and playlists show the gap. Then disk comes back: a
/// segment file left with no fragment is removed, one left mostly empty is rewritten with only
/// its kept fragments (a new file, made durable, then the rows moved to it in one transaction,
/// then the old file removed — a crash at any point leaves a file no row names, which the next
/// start removes).
extension FragmentStore {
    /// Keeps, of the stream's fragments that arrived before `cutoff`, those whose producer-time
    /// span meets one of `spans`.
    @discardableResult
    public func thin(streamID: Int64, arrivedBefore cutoff: Int64, keeping spans: [Range<Int64>]) throws -> Expired {
        try thin(streamID: streamID, arrivedBefore: cutoff, keeping: SpanSet(spans), after: 0).expired
    }

    /// The same, for fragments numbered after `after` only (those judged before stay as they
    /// are); also returns the last fragment number judged.
    func thin(streamID: Int64, arrivedBefore cutoff: Int64, keeping spans: SpanSet, after: Int64) throws
        -> (expired: Expired, judgedThrough: Int64) {
        var expired = Expired()
        var judgedThrough = after
        let touched: Set<String> = try database.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT number, producer_start, duration, size, segment, discontinuity FROM fragments
                WHERE stream_id = ? AND server_start < ? AND number > ? ORDER BY number
                """, arguments: [streamID, cutoff, after])
            guard !rows.isEmpty else { return [] }
            judgedThrough = rows.last!["number"]
            // The first fragment after the window, which a removal just before it also cuts off.
            let following = try Row.fetchOne(db, sql: """
                SELECT number, producer_start, duration, size, segment, discontinuity FROM fragments
                WHERE stream_id = ? AND number > ? ORDER BY number LIMIT 1
                """, arguments: [streamID, rows.last!["number"] as Int64])
            var removed: [Int64] = []
            var gapStarts: [Int64] = []
            var touched: Set<String> = []
            // Fragments judged in an earlier sweep and still there count as kept before these.
            let judgedBefore = after > 0 ? try Bool.fetchOne(db, sql: "SELECT 1 FROM fragments WHERE stream_id = ? AND number <= ? LIMIT 1",
                                                             arguments: [streamID, after]) : nil
            var keptBefore = judgedBefore ?? false
            var afterRemoval = false
            for (index, row) in (rows + (following.map { [$0] } ?? [])).enumerated() {
                let start: Int64 = row["producer_start"]
                let end = start &+ max(row["duration"] as Int64, 1)
                let inWindow = index < rows.count
                if inWindow && !spans.meets(start..<end) {
                    removed.append(row["number"])
                    expired.fragments += 1
                    expired.fragmentBytes += row["size"] as Int64
                    touched.insert(row["segment"])
                    afterRemoval = true
                    continue
                }
                if afterRemoval && keptBefore && !(row["discontinuity"] as Bool) { gapStarts.append(row["number"]) }
                keptBefore = true
                afterRemoval = false
            }
            for chunk in stride(from: 0, to: removed.count, by: 500) {
                let numbers = removed[chunk..<min(chunk + 500, removed.count)]
                try db.execute(sql: "DELETE FROM fragments WHERE number IN (\(numbers.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments(Array(numbers)))
            }
            for chunk in stride(from: 0, to: gapStarts.count, by: 500) {
                let numbers = gapStarts[chunk..<min(chunk + 500, gapStarts.count)]
                try db.execute(sql: "UPDATE fragments SET discontinuity = 1 WHERE number IN (\(numbers.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments(Array(numbers)))
            }
            return touched
        }
        for segment in touched.sorted() {
            expired.add(try reclaim(segment: segment, streamID: streamID))
        }
        return (expired, judgedThrough)
    }

    /// Gives back the space of a segment file that lost fragments: removes it when none is left,
    /// rewrites it when less than half of it is still referenced. Never the file a push is
    /// writing or the stream's latest (which the next push appends to).
    func reclaim(segment: String, streamID: Int64) throws -> Expired {
        var gone = Expired()
        let writable = try writersLock.withLock {
            let latest = try latestSegment(streamID: streamID)
            return writers[streamID]?.relativePath == segment || latest == segment
        }
        if writable { return gone }
        let kept = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT number, offset, size FROM fragments WHERE segment = ? ORDER BY offset",
                             arguments: [segment])
        }
        let path = segmentPath(segment)
        let fileSize = SegmentFile.diskUsage(path: path)
        if kept.isEmpty {
            if (try? FileManager.default.removeItem(atPath: path)) != nil {
                gone.files = 1
                gone.fileBytes = fileSize
            }
            return gone
        }
        let keptBytes = kept.reduce(Int64(0)) { $0 + ($1["size"] as Int64) }
        guard keptBytes < fileSize / 2 else { return gone }
        let relative = "\(streamID)/\(WallClock.now())-compact.m4s"
        let copy = try SegmentFile(path: segmentPath(relative), relativePath: relative, create: true)
        var moved: [(number: Int64, offset: Int64)] = []
        do {
            for row in kept {
                let bytes = try SegmentFile.read(path: path, offset: row["offset"], length: Int(row["size"] as Int64))
                moved.append((row["number"], try copy.append(bytes)))
            }
            try copy.sync()
            try SegmentFile.syncDirectory(segmentPath(String(streamID)))
            try database.write { db in
                for entry in moved {
                    try db.execute(sql: "UPDATE fragments SET segment = ?, offset = ? WHERE number = ? AND segment = ?",
                                   arguments: [relative, entry.offset, entry.number, segment])
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: segmentPath(relative))
            throw error
        }
        try? FileManager.default.removeItem(atPath: path)
        gone.files = 1
        gone.fileBytes = max(0, fileSize - SegmentFile.diskUsage(path: segmentPath(relative)))
        return gone
    }
}
