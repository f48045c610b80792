import GRDB

/// The SQLite schema and the queries over it. One row per fragment; time lookups go through
/// (stream, timestamp) indexes so that finding a time costs O(log n).
enum FragmentIndex {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE streams (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE inits (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                    bytes BLOB NOT NULL,
                    tracks TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX inits_by_stream ON inits(stream_id, id);
                CREATE TABLE fragments (
                    number INTEGER PRIMARY KEY AUTOINCREMENT,
                    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                    init_id INTEGER NOT NULL REFERENCES inits(id),
                    producer_start INTEGER NOT NULL,
                    server_start INTEGER NOT NULL,
                    duration INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    segment TEXT NOT NULL,
                    offset INTEGER NOT NULL,
                    discontinuity INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX fragments_by_producer ON fragments(stream_id, producer_start, number);
                CREATE INDEX fragments_by_server ON fragments(stream_id, server_start, number);
                CREATE INDEX fragments_by_segment ON fragments(segment, offset);
                """)
        }
        migrator.registerMigration("v2-stream-settings") { db in
            // Per-stream settings other modules own (frame analysis), as opaque JSON.
            try db.execute(sql: """
                CREATE TABLE stream_settings (
                    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    json TEXT NOT NULL,
                    PRIMARY KEY (stream_id, name)
                );
                """)
        }
        migrator.registerMigration("v3-stream-attributes") { db in
            // What the Kinesis Video control plane keeps per stream. A NULL retention keeps
            // everything (streams made by a push or the native API).
            try db.execute(sql: """
                ALTER TABLE streams ADD COLUMN device_name TEXT;
                ALTER TABLE streams ADD COLUMN media_type TEXT;
                ALTER TABLE streams ADD COLUMN kms_key_id TEXT;
                ALTER TABLE streams ADD COLUMN retention_hours INTEGER;
                ALTER TABLE streams ADD COLUMN storage_tier TEXT NOT NULL DEFAULT 'HOT';
                ALTER TABLE streams ADD COLUMN version TEXT NOT NULL DEFAULT 'v1';
                CREATE TABLE stream_tags (
                    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (stream_id, key)
                );
                """)
        }
        migrator.registerMigration("v4-fragments-by-number") { db in
            // GetMedia reads a stream's fragments in arrival (number) order; numbers are server-wide.
            try db.execute(sql: "CREATE INDEX fragments_by_stream_number ON fragments(stream_id, number)")
        }
        migrator.registerMigration("v5-fragment-ordinals") { db in
            // Each fragment's place in its stream's history, from a per-stream counter that never
            // goes back (so deleting old fragments does not renumber the rest). Existing archives
            // are numbered in arrival order.
            try db.execute(sql: """
                ALTER TABLE fragments ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE streams ADD COLUMN fragments_appended INTEGER NOT NULL DEFAULT 0;
                UPDATE fragments SET ordinal = numbered.n FROM (
                    SELECT number, ROW_NUMBER() OVER (PARTITION BY stream_id ORDER BY number) AS n FROM fragments
                ) AS numbered WHERE numbered.number = fragments.number;
                UPDATE streams SET fragments_appended = (SELECT COALESCE(MAX(ordinal), 0) FROM fragments WHERE stream_id = streams.id);
                """)
        }
        migrator.registerMigration("v6-event-spans") { db in
            // Producer-time spans of analysis events, which event-aware retention keeps video
            // around (the events' data stream may keep them for less time than the video).
            try db.execute(sql: """
                CREATE TABLE event_spans (
                    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                    start INTEGER NOT NULL,
                    end INTEGER NOT NULL
                );
                CREATE INDEX event_spans_by_stream ON event_spans(stream_id, start);
                """)
        }
        return migrator
    }

    static func column(_ kind: TimestampKind) -> String {
        kind == .producer ? "producer_start" : "server_start"
    }

    static func fragment(_ row: Row) -> FragmentRecord {
        FragmentRecord(number: row["number"], streamID: row["stream_id"], initID: row["init_id"],
                       producerStart: row["producer_start"], serverStart: row["server_start"],
                       duration: row["duration"], size: row["size"], segment: row["segment"],
                       offset: row["offset"], discontinuity: row["discontinuity"], ordinal: row["ordinal"])
    }

    /// Fragments of a stream overlapping [from, to), sorted by (timestamp, number), after `cursor`.
    static func fragments(_ db: Database, streamID: Int64, kind: TimestampKind, from: Int64, to: Int64,
                          after cursor: FragmentCursor?, limit: Int, retainedFrom cutoff: Int64?) throws -> [FragmentRecord] {
        let ts = column(kind)
        // The fragment at or before `from` may overlap it; find its start with one index seek.
        let lower = try Int64.fetchOne(db, sql: """
            SELECT \(ts) FROM fragments WHERE stream_id = ? AND \(ts) <= ? ORDER BY \(ts) DESC LIMIT 1
            """, arguments: [streamID, from]) ?? from
        return try page(db, where: "\(ts) >= ? AND \(ts) < ? AND \(ts) + duration > ?", [streamID, lower, to, from],
                        kind: kind, after: cursor, limit: limit, retainedFrom: cutoff)
    }

    /// Fragments of a stream whose start is within [from, through], sorted by (timestamp, number),
    /// after `cursor`.
    static func fragments(_ db: Database, streamID: Int64, kind: TimestampKind, startingFrom from: Int64, through: Int64,
                          after cursor: FragmentCursor?, limit: Int, retainedFrom cutoff: Int64?) throws -> [FragmentRecord] {
        let ts = column(kind)
        return try page(db, where: "\(ts) >= ? AND \(ts) <= ?", [streamID, from, through], kind: kind, after: cursor, limit: limit,
                        retainedFrom: cutoff)
    }

    /// A stream's fragments matching `condition` (its arguments follow the stream id), in
    /// (timestamp, number) order after `cursor`, at most `limit`, none that arrived before `cutoff`
    /// (past the stream's retention, not yet swept).
    private static func page(_ db: Database, where condition: String, _ arguments: StatementArguments, kind: TimestampKind,
                             after cursor: FragmentCursor?, limit: Int, retainedFrom cutoff: Int64?) throws -> [FragmentRecord] {
        let ts = column(kind)
        var sql = "SELECT * FROM fragments WHERE stream_id = ? AND \(condition)"
        var arguments = arguments
        if let cutoff {
            sql += " AND server_start >= ?"
            arguments += [cutoff]
        }
        if let cursor {
            sql += " AND (\(ts), number) > (?, ?)"
            arguments += [cursor.timestamp, cursor.number]
        }
        sql += " ORDER BY \(ts), number LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(fragment)
    }
}
