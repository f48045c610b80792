import Foundation
import GRDB

/// Stream rows and their aggregates.
enum StreamQueries {
    static func stream(_ db: Database, name: String) throws -> StreamRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM streams WHERE name = ?", arguments: [name]) else {
            return nil
        }
        return try record(db, row)
    }

    static func all(_ db: Database) throws -> [StreamRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM streams ORDER BY name").map { try record(db, $0) }
    }

    private static func record(_ db: Database, _ row: Row) throws -> StreamRecord {
        let id: Int64 = row["id"]
        let json = try String.fetchOne(db, sql: "SELECT tracks FROM inits WHERE stream_id = ? ORDER BY id DESC LIMIT 1",
                                       arguments: [id])
        let tracks = json.flatMap { try? JSONDecoder().decode([TrackDescription].self, from: Data($0.utf8)) } ?? []
        return StreamRecord(id: id, name: row["name"], createdAt: row["created_at"], tracks: tracks)
    }

    static func statistics(_ db: Database, streamID: Int64) throws -> StreamStatistics {
        let row = try Row.fetchOne(db, sql: """
            SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes,
                   min(producer_start) AS fp, max(producer_start + duration) AS lp,
                   min(server_start) AS fs, max(server_start + duration) AS ls
            FROM fragments WHERE stream_id = ?
            """, arguments: [streamID])!
        return StreamStatistics(fragmentCount: row["n"], bytes: row["bytes"], firstProducer: row["fp"],
                                lastProducer: row["lp"], firstServer: row["fs"], lastServer: row["ls"])
    }
}
