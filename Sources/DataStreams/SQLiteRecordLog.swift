import Foundation
import GRDB

/// The embedded record log: SQLite in WAL mode, concurrent PutRecord(s) calls grouped into one
/// transaction (`GroupCommit`), records
/// keyed by (stream, shard, counter) and indexed by arrival for AT_TIMESTAMP and retention.
public final class SQLiteRecordLog: RecordLog, @unchecked Sendable {
    let database: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // FULL: a PutRecord acknowledged as written survives a crash of the machine too.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator().migrate(database)
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("kds-v1") { db in
            try db.execute(sql: """
                CREATE TABLE kds_streams (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    on_demand INTEGER NOT NULL,
                    retention_hours INTEGER NOT NULL,
                    max_record_kib INTEGER NOT NULL
                );
                CREATE TABLE kds_shards (
                    stream_id INTEGER NOT NULL REFERENCES kds_streams(id) ON DELETE CASCADE,
                    shard INTEGER NOT NULL,
                    start_hash TEXT NOT NULL,
                    end_hash TEXT NOT NULL,
                    next_counter INTEGER NOT NULL DEFAULT 1,
                    PRIMARY KEY (stream_id, shard)
                );
                CREATE TABLE kds_records (
                    stream_id INTEGER NOT NULL,
                    shard INTEGER NOT NULL,
                    counter INTEGER NOT NULL,
                    arrival INTEGER NOT NULL,
                    partition_key TEXT NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (stream_id, shard, counter)
                ) WITHOUT ROWID;
                CREATE INDEX kds_records_by_arrival ON kds_records(stream_id, shard, arrival);
                CREATE TABLE kds_tags (
                    stream_id INTEGER NOT NULL REFERENCES kds_streams(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (stream_id, key)
                );
                CREATE TABLE kds_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                """)
        }
        return migrator
    }

    public func createStream(name: String, shardRanges: [ClosedRange<UInt128>], onDemand: Bool, retentionHours: Int,
                             maxRecordSizeKiB: Int, tags: [String: String], now: Int64) throws -> DataStreamRecord {
        try database.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM kds_streams WHERE name = ?", arguments: [name]) != nil {
                throw KinesisError.inUse("Stream \(name) under account \(KinesisNames.account) already exists.")
            }
            try db.execute(sql: """
                INSERT INTO kds_streams (name, created_at, on_demand, retention_hours, max_record_kib) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, now, onDemand, retentionHours, maxRecordSizeKiB])
            let id = db.lastInsertedRowID
            for (index, range) in shardRanges.enumerated() {
                try db.execute(sql: "INSERT INTO kds_shards (stream_id, shard, start_hash, end_hash) VALUES (?, ?, ?, ?)",
                               arguments: [id, index, String(range.lowerBound), String(range.upperBound)])
            }
            for (key, value) in tags {
                try db.execute(sql: "INSERT INTO kds_tags (stream_id, key, value) VALUES (?, ?, ?)", arguments: [id, key, value])
            }
            return try Self.stream(db, id: id)!
        }
    }

    public func stream(named name: String) throws -> DataStreamRecord? {
        try database.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM kds_streams WHERE name = ?", arguments: [name]) else {
                return nil
            }
            return try Self.stream(db, id: id)
        }
    }

    public func stream(id: Int64) throws -> DataStreamRecord? {
        try database.read { db in try Self.stream(db, id: id) }
    }

    public func streams() throws -> [DataStreamRecord] {
        try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM kds_streams ORDER BY name").compactMap { try Self.stream(db, id: $0) }
        }
    }

    private static func stream(_ db: Database, id: Int64) throws -> DataStreamRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM kds_streams WHERE id = ?", arguments: [id]) else { return nil }
        let shards = try Row.fetchAll(db, sql: "SELECT * FROM kds_shards WHERE stream_id = ? ORDER BY shard", arguments: [id])
            .map { r -> ShardRecord in
                let start = UInt128(r["start_hash"] as String) ?? 0
                let end = UInt128(r["end_hash"] as String) ?? UInt128.max
                return ShardRecord(index: r["shard"], range: start...end)
            }
        return DataStreamRecord(id: id, name: row["name"], createdAt: row["created_at"], onDemand: row["on_demand"],
                                retentionHours: row["retention_hours"], maxRecordSizeKiB: row["max_record_kib"], shards: shards)
    }

    public func deleteStream(id: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM kds_records WHERE stream_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM kds_streams WHERE id = ?", arguments: [id])
        }
    }

    public func setRetention(streamID: Int64, hours: Int) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE kds_streams SET retention_hours = ? WHERE id = ?", arguments: [hours, streamID])
        }
    }

    private struct Append {
        let streamID: Int64
        let records: [NewRecord]
        let now: Int64
    }

    private let appends = GroupCommit<Append, [Int64]>()

    /// Transactions committed for appends so far (fewer than calls when callers overlap).
    var appendCommits: Int { appends.commits }

    public func append(streamID: Int64, records: [NewRecord], now: Int64) throws -> [Int64] {
        try appends.submit(Append(streamID: streamID, records: records, now: now)) { batch in
            try database.write { db in try batch.map { try Self.insert($0, db) } }
        }
    }

    private static func insert(_ append: Append, _ db: Database) throws -> [Int64] {
        var next: [Int: Int64] = [:]
        var counters: [Int64] = []
        counters.reserveCapacity(append.records.count)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO kds_records (stream_id, shard, counter, arrival, partition_key, data) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for record in append.records {
            let counter: Int64
            if let n = next[record.shard] {
                counter = n
            } else {
                // The shard's high-water mark, not max(counter): trimming must never make numbers repeat.
                counter = try Int64.fetchOne(db, sql: "SELECT next_counter FROM kds_shards WHERE stream_id = ? AND shard = ?",
                                             arguments: [append.streamID, record.shard]) ?? 1
            }
            next[record.shard] = counter + 1
            // Unchecked: the argument count is fixed by this statement, so GRDB's validation is skipped.
            insert.setUncheckedArguments([append.streamID, record.shard, counter, append.now, record.partitionKey, Data(record.data)])
            try insert.execute()
            counters.append(counter)
        }
        for (shard, counter) in next {
            try db.execute(sql: "UPDATE kds_shards SET next_counter = ? WHERE stream_id = ? AND shard = ?",
                           arguments: [counter, append.streamID, shard])
        }
        return counters
    }

    public func read(streamID: Int64, shard: Int, from counter: Int64, notBefore: Int64, limit: Int, maxBytes: Int) throws -> [StoredRecord] {
        try database.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT counter, arrival, partition_key, data FROM kds_records
                WHERE stream_id = ? AND shard = ? AND counter >= ? AND arrival >= ?
                ORDER BY counter LIMIT ?
                """, arguments: [streamID, shard, counter, notBefore, limit])
            var out: [StoredRecord] = []
            var bytes = 0
            while let row = try cursor.next() {
                let data: Data = row["data"]
                if !out.isEmpty && bytes + data.count > maxBytes { break }
                bytes += data.count
                out.append(StoredRecord(shard: shard, sequence: row["counter"], arrival: row["arrival"],
                                        partitionKey: row["partition_key"], data: [UInt8](data)))
            }
            return out
        }
    }

    public func newest(streamID: Int64, shard: Int) throws -> (counter: Int64, arrival: Int64)? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT counter, arrival FROM kds_records WHERE stream_id = ? AND shard = ? ORDER BY counter DESC LIMIT 1
                """, arguments: [streamID, shard]).map { ($0["counter"], $0["arrival"]) }
        }
    }

    public func firstCounter(streamID: Int64, shard: Int, arrivedAtOrAfter arrival: Int64) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT min(counter) FROM kds_records WHERE stream_id = ? AND shard = ? AND arrival >= ?
                """, arguments: [streamID, shard, arrival])
        }
    }

    public func trim(streamID: Int64, arrivedBefore arrival: Int64) throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM kds_records WHERE stream_id = ? AND arrival < ?", arguments: [streamID, arrival])
            return db.changesCount
        }
    }

    public func tags(streamID: Int64) throws -> [String: String] {
        try database.read { db in
            var tags: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM kds_tags WHERE stream_id = ?", arguments: [streamID]) {
                tags[row["key"]] = row["value"]
            }
            return tags
        }
    }

    public func updateTags(streamID: Int64, set: [String: String], remove: [String]) throws {
        try database.write { db in
            for (key, value) in set {
                try db.execute(sql: "INSERT OR REPLACE INTO kds_tags (stream_id, key, value) VALUES (?, ?, ?)",
                               arguments: [streamID, key, value])
            }
            for key in remove {
                try db.execute(sql: "DELETE FROM kds_tags WHERE stream_id = ? AND key = ?", arguments: [streamID, key])
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM kds_tags WHERE stream_id = ?", arguments: [streamID]) ?? 0
            if count > 50 { throw KinesisError.limitExceeded("A stream can have at most 50 tags.") }
        }
    }

    public func iteratorSecret() throws -> [UInt8] {
        try database.write { db in
            if let data = try Data.fetchOne(db, sql: "SELECT value FROM kds_meta WHERE key = 'iterator-secret'") {
                return [UInt8](data)
            }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try db.execute(sql: "INSERT INTO kds_meta (key, value) VALUES ('iterator-secret', ?)", arguments: [Data(secret)])
            return secret
        }
    }
}
