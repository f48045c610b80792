import Foundation
import GRDB
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Start-up repair, so that the index and the segment files agree whatever a crash or a power
/// loss left behind, and one bad file never stops the server:
/// - bytes past the last indexed fragment of a file (the process died between write and insert)
///   are cut off;
/// - a file shorter than its rows need (bytes lost), or missing, loses the rows it cannot back,
///   with a warning;
/// - files and folders that no row refers to are removed.
struct StoreRecovery {
    let store: FragmentStore

    func repair() throws {
        try dropRowsWithoutFiles()
        let fm = FileManager.default
        let known = try store.database.read { db in try Set(Int64.fetchAll(db, sql: "SELECT id FROM streams")) }
        for folder in (try? fm.contentsOfDirectory(atPath: store.segmentRoot)) ?? [] {
            guard let streamID = Int64(folder), known.contains(streamID) else {
                try? fm.removeItem(atPath: store.segmentRoot + "/" + folder)
                continue
            }
            for file in (try? fm.contentsOfDirectory(atPath: store.segmentRoot + "/" + folder)) ?? [] {
                try repair(segment: folder + "/" + file)
            }
        }
    }

    private func dropRowsWithoutFiles() throws {
        let segments = try store.database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT segment FROM fragments") }
        for segment in segments where !FileManager.default.fileExists(atPath: store.segmentPath(segment)) {
            let dropped = try store.database.write { db in
                try db.execute(sql: "DELETE FROM fragments WHERE segment = ?", arguments: [segment])
                return db.changesCount
            }
            store.logger.warning("segment file missing: its fragments are dropped from the index",
                                 metadata: ["segment": "\(segment)", "fragments": "\(dropped)"])
        }
    }

    private func repair(segment: String) throws {
        let end = try store.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT max(offset + size) FROM fragments WHERE segment = ?", arguments: [segment])
        }
        let path = store.segmentPath(segment)
        guard let end else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        if size > end {
            guard truncate(path, off_t(end)) == 0 else { throw StoreError.io("truncate \(path)", errno) }
        } else if size < end {
            let dropped = try store.database.write { db in
                try db.execute(sql: "DELETE FROM fragments WHERE segment = ? AND offset + size > ?", arguments: [segment, size])
                return db.changesCount
            }
            store.logger.warning("segment file shorter than its index: the fragments it lost are dropped",
                                 metadata: ["segment": "\(segment)", "bytes": "\(size)", "needed": "\(end)",
                                            "fragments": "\(dropped)"])
            // What the remaining rows need may now end before the file does.
            try repair(segment: segment)
        }
    }
}
