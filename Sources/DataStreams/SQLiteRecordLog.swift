import AWSProtocol
import Foundation
import GRDB
import Primitives

/// The embedded record log: SQLite in WAL mode, concurrent PutRecord(s) calls grouped into one
/// transaction (`GroupCommit`). The records one append gives a shard are stored as one block
/// (`RecordBlock`), indexed by (stream, shard, last counter) for reading from a sequence number
/// and by arrival for AT_TIMESTAMP and retention.
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
        migrator.registerMigration("kds-v2-record-blocks") { db in
            try db.execute(sql: """
                CREATE TABLE kds_blocks (
                    id INTEGER PRIMARY KEY,
                    stream_id INTEGER NOT NULL,
                    shard INTEGER NOT NULL,
                    first_counter INTEGER NOT NULL,
                    last_counter INTEGER NOT NULL,
                    arrival INTEGER NOT NULL,
                    records BLOB NOT NULL
                );
                CREATE UNIQUE INDEX kds_blocks_by_counter ON kds_blocks(stream_id, shard, last_counter);
                CREATE INDEX kds_blocks_by_arrival ON kds_blocks(stream_id, shard, arrival);
                """)
            try Self.packRecordRows(db)
            try db.execute(sql: "DROP TABLE kds_records")
        }
        return migrator
    }

    /// Moves records stored a row each (kds-v1) into blocks: runs of one shard with consecutive
    /// counters and the same arrival, as an append would have written them.
    private static func packRecordRows(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT stream_id, shard, counter, arrival, partition_key, data FROM kds_records ORDER BY stream_id, shard, counter
            """)
        var run: (streamID: Int64, shard: Int, first: Int64, arrival: Int64, records: [NewRecord])?
        func store() throws {
            guard let r = run else { return }
            try insertBlock(db, streamID: r.streamID, shard: r.shard, first: r.first, arrival: r.arrival, records: r.records)
        }
        while let row = try rows.next() {
            let streamID: Int64 = row["stream_id"], shard: Int = row["shard"], counter: Int64 = row["counter"]
            let arrival: Int64 = row["arrival"], data: Data = row["data"]
            let record = NewRecord(shard: shard, partitionKey: row["partition_key"], data: [UInt8](data))
            if let r = run, r.streamID == streamID, r.shard == shard, r.arrival == arrival,
               r.first + Int64(r.records.count) == counter, r.records.count < 500 {
                run!.records.append(record)
            } else {
                try store()
                run = (streamID, shard, counter, arrival, [record])
            }
        }
        try store()
    }

    private static func insertBlock(_ db: Database, streamID: Int64, shard: Int, first: Int64, arrival: Int64,
                                    records: [NewRecord]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO kds_blocks (stream_id, shard, first_counter, last_counter, arrival, records) VALUES (?, ?, ?, ?, ?, ?)
            """)
        insert.setUncheckedArguments([streamID, shard, first, first + Int64(records.count) - 1, arrival,
                                      Data(RecordBlock.encode(records))])
        try insert.execute()
    }

    public func createStream(name: String, shardRanges: [ClosedRange<UInt128>], onDemand: Bool, retentionHours: Int,
                             maxRecordSizeKiB: Int, tags: [String: String], now: Int64) throws -> DataStreamRecord {
        try database.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM kds_streams WHERE name = ?", arguments: [name]) != nil {
                throw AWSError.inUse("Stream \(name) already exists.")
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
            // Cached statements: every request resolves its stream (compiling SQL showed in profiles).
            let byName = try db.cachedStatement(sql: "SELECT id FROM kds_streams WHERE name = ?")
            guard let id = try Int64.fetchOne(byName, arguments: [name]) else {
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
        let streamRow = try db.cachedStatement(sql: "SELECT * FROM kds_streams WHERE id = ?")
        guard let row = try Row.fetchOne(streamRow, arguments: [id]) else { return nil }
        let shardRows = try db.cachedStatement(sql: "SELECT * FROM kds_shards WHERE stream_id = ? ORDER BY shard")
        let shards = try Row.fetchAll(shardRows, arguments: [id])
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
            try db.execute(sql: "DELETE FROM kds_blocks WHERE stream_id = ?", arguments: [id])
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
        // Each shard's records in request order; shards in order of first appearance.
        var shardOrder: [Int] = []
        var positions: [Int: [Int]] = [:]
        for (position, record) in append.records.enumerated() {
            if positions[record.shard] == nil { shardOrder.append(record.shard) }
            positions[record.shard, default: []].append(position)
        }
        var counters = [Int64](repeating: 0, count: append.records.count)
        let nextCounter = try db.cachedStatement(sql: "SELECT next_counter FROM kds_shards WHERE stream_id = ? AND shard = ?")
        let advance = try db.cachedStatement(sql: "UPDATE kds_shards SET next_counter = ? WHERE stream_id = ? AND shard = ?")
        for shard in shardOrder {
            let members = positions[shard]!
            // The shard's high-water mark, not max(counter): trimming must never make numbers repeat.
            let first = try Int64.fetchOne(nextCounter, arguments: [append.streamID, shard]) ?? 1
            for (k, position) in members.enumerated() { counters[position] = first + Int64(k) }
            let records = members.count == append.records.count ? append.records : members.map { append.records[$0] }
            try insertBlock(db, streamID: append.streamID, shard: shard, first: first, arrival: append.now, records: records)
            try advance.execute(arguments: [first + Int64(members.count), append.streamID, shard])
        }
        return counters
    }

    public func read(streamID: Int64, shard: Int, from counter: Int64, notBefore: Int64, limit: Int, maxBytes: Int) throws -> [StoredRecord] {
        try database.read { db in
            let blocks = try Row.fetchCursor(db, sql: """
                SELECT first_counter, arrival, records FROM kds_blocks
                WHERE stream_id = ? AND shard = ? AND last_counter >= ? ORDER BY last_counter
                """, arguments: [streamID, shard, counter])
            var out: [StoredRecord] = []
            var bytes = 0
            var full = false
            while !full, let block = try blocks.next() {
                let first: Int64 = block["first_counter"], arrival: Int64 = block["arrival"]
                guard arrival >= notBefore else { continue } // past retention, not trimmed yet
                let packed: Data = block["records"]
                try packed.withUnsafeBytes { raw in
                    try RecordBlock.decode(raw) { index, entry in
                        let sequence = first + Int64(index)
                        guard sequence >= counter else { return true }
                        let record = entry()
                        if !out.isEmpty && bytes + record.data.count > maxBytes {
                            full = true
                            return false
                        }
                        bytes += record.data.count
                        out.append(StoredRecord(shard: shard, sequence: sequence, arrival: arrival,
                                                partitionKey: record.partitionKey, data: record.data))
                        full = out.count >= limit
                        return !full
                    }
                }
            }
            return out
        }
    }

    public func newest(streamID: Int64, shard: Int) throws -> (counter: Int64, arrival: Int64)? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT last_counter, arrival FROM kds_blocks WHERE stream_id = ? AND shard = ? ORDER BY last_counter DESC LIMIT 1
                """, arguments: [streamID, shard]).map { ($0["last_counter"], $0["arrival"]) }
        }
    }

    public func firstCounter(streamID: Int64, shard: Int, arrivedAtOrAfter arrival: Int64) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT min(first_counter) FROM kds_blocks WHERE stream_id = ? AND shard = ? AND arrival >= ?
                """, arguments: [streamID, shard, arrival])
        }
    }

    public func trim(streamID: Int64, arrivedBefore arrival: Int64) throws -> Int {
        try database.write { db in
            // A block's records share its arrival, so whole blocks go.
            let records = try Int.fetchOne(db, sql: """
                SELECT coalesce(sum(last_counter - first_counter + 1), 0) FROM kds_blocks WHERE stream_id = ? AND arrival < ?
                """, arguments: [streamID, arrival]) ?? 0
            try db.execute(sql: "DELETE FROM kds_blocks WHERE stream_id = ? AND arrival < ?", arguments: [streamID, arrival])
            return records
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
            if count > 50 { throw AWSError.limitExceeded("A stream can have at most 50 tags.") }
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
