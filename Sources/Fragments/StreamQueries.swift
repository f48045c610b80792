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

    static func stream(_ db: Database, id: Int64) throws -> StreamRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM streams WHERE id = ?", arguments: [id]).map { try record(db, $0) }
    }

    /// Streams in name order after `name`, with names starting with `prefix`, at most `limit`.
    static func page(_ db: Database, after name: String?, prefix: String?, limit: Int) throws -> [StreamRecord] {
        var sql = "SELECT * FROM streams WHERE name > ?"
        var arguments: StatementArguments = [name ?? ""]
        if let prefix, !prefix.isEmpty {
            // Names are [a-zA-Z0-9_.-]: no LIKE wildcards to escape but `_`.
            sql += " AND substr(name, 1, ?) = ?"
            arguments += [prefix.utf8.count, prefix]
        }
        sql += " ORDER BY name LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try record(db, $0) }
    }

    private static func record(_ db: Database, _ row: Row) throws -> StreamRecord {
        let id: Int64 = row["id"]
        let json = try String.fetchOne(db, sql: "SELECT tracks FROM inits WHERE stream_id = ? ORDER BY id DESC LIMIT 1",
                                       arguments: [id])
        let tracks = json.flatMap { try? JSONDecoder().decode([TrackDescription].self, from: Data($0.utf8)) } ?? []
        let attributes = StreamAttributes(deviceName: row["device_name"], mediaType: row["media_type"], kmsKeyID: row["kms_key_id"],
                                          retentionHours: row["retention_hours"], storageTier: row["storage_tier"],
                                          version: row["version"])
        return StreamRecord(id: id, name: row["name"], createdAt: row["created_at"], tracks: tracks, attributes: attributes)
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
