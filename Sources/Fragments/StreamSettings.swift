import GRDB

/// Named per-stream settings stored beside the stream (as JSON text the owning module defines),
/// so they live and die with the stream.
extension FragmentStore {
    public func setting(_ name: String, streamID: Int64) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT json FROM stream_settings WHERE stream_id = ? AND name = ?",
                                arguments: [streamID, name])
        }
    }

    public func setSetting(_ name: String, streamID: Int64, json: String) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO stream_settings (stream_id, name, json) VALUES (?, ?, ?)
                ON CONFLICT (stream_id, name) DO UPDATE SET json = excluded.json
                """, arguments: [streamID, name, json])
        }
    }

    public func removeSetting(_ name: String, streamID: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM stream_settings WHERE stream_id = ? AND name = ?", arguments: [streamID, name])
        }
    }
}
