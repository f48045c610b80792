import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Start-up repair: a segment file may end in bytes whose index row never committed (the
/// process died between write and insert). Those bytes are cut off; files and folders that no
/// row refers to are removed.
struct StoreRecovery {
    let store: FragmentStore

    func cutUnindexedTails() throws {
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
            throw StoreError.corrupt("\(segment) is \(size) bytes but the index needs \(end)")
        }
    }
}
