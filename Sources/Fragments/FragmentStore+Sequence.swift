import GRDB

/// A stream's fragments in arrival order (fragment numbers grow within a stream): how GetMedia
/// replays a stream and follows it live. Retention applies as to every read.
extension FragmentStore {
    /// Fragments of a stream numbered after `number` (exclusive), oldest first.
    public func fragments(streamID: Int64, afterNumber number: FragmentNumber, limit: Int) throws -> [FragmentRecord] {
        try database.read { db in
            var sql = "SELECT * FROM fragments WHERE stream_id = ? AND number > ?"
            var arguments: StatementArguments = [streamID, number]
            if let cutoff = try retentionCutoff(db, streamID: streamID) {
                sql += " AND server_start >= ?"
                arguments += [cutoff]
            }
            sql += " ORDER BY number LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(FragmentIndex.fragment)
        }
    }

    /// The stream's newest retained fragment.
    public func newestFragment(streamID: Int64) throws -> FragmentRecord? {
        try newestFragments(streamID: streamID, limit: 1).last
    }

    /// The named fragments of one stream, in the order named, nil where a number is not a
    /// retained fragment of it: one read for a whole GetMediaForFragmentList.
    public func fragments(streamID: Int64, numbers: [FragmentNumber]) throws -> [FragmentRecord?] {
        try database.read { db in
            let cutoff = try retentionCutoff(db, streamID: streamID)
            let statement = try db.cachedStatement(sql: "SELECT * FROM fragments WHERE number = ? AND stream_id = ?")
            return try numbers.map { number in
                guard let record = try Row.fetchOne(statement, arguments: [number, streamID]).map(FragmentIndex.fragment) else { return nil }
                if let cutoff, record.serverStart < cutoff { return nil }
                return record
            }
        }
    }

    /// The stream's newest `limit` retained fragments, oldest first (a live playlist's window).
    public func newestFragments(streamID: Int64, limit: Int) throws -> [FragmentRecord] {
        try database.read { db in
            var sql = "SELECT * FROM fragments WHERE stream_id = ?"
            var arguments: StatementArguments = [streamID]
            if let cutoff = try retentionCutoff(db, streamID: streamID) {
                sql += " AND server_start >= ?"
                arguments += [cutoff]
            }
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql + " ORDER BY number DESC LIMIT ?", arguments: arguments)
                .map(FragmentIndex.fragment).reversed()
        }
    }
}
