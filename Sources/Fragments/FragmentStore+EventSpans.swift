import GRDB

/// Where a stream had analysis events (producer time), kept beside its fragments for event-aware
/// retention; they go with the stream and are forgotten once the video they kept is gone.
extension FragmentStore {
    /// Records an event's span; an event of a stream that does not exist (deleted) is ignored.
    public func addEventSpan(streamNamed name: String, start: Int64, end: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO event_spans (stream_id, start, end) SELECT id, ?, ? FROM streams WHERE name = ?
                """, arguments: [min(start, end), max(start, end), name])
        }
    }

    /// Spans overlapping `from..<to`, each widened by `padding` on both sides, by start.
    public func eventSpans(streamID: Int64, from: Int64, to: Int64, padding: Int64) throws -> [Range<Int64>] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT start, end FROM event_spans WHERE stream_id = ? AND start < ? AND end >= ? ORDER BY start
                """, arguments: [streamID, to &+ padding, from &- padding])
        }.map { row in
            let start: Int64 = row["start"]
            let end: Int64 = row["end"]
            return (start &- padding)..<max(end &+ padding, start &- padding &+ 1)
        }
    }

    /// Forgets spans that ended before `time` (the video they kept is past retention).
    public func forgetEventSpans(streamID: Int64, endingBefore time: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM event_spans WHERE stream_id = ? AND end < ?", arguments: [streamID, time])
        }
    }
}
