import GRDB

/// The stream catalog as the Kinesis Video control plane uses it: create-only streams with
/// attributes and tags, versioned updates, pages of streams by name.
extension FragmentStore {
    /// Creates a stream; fails with `StoreError.exists` if the name is taken.
    public func createStream(named name: String, now: Int64, attributes: StreamAttributes,
                             tags: [String: String]) throws -> StreamRecord {
        try database.write { db in
            if try StreamQueries.stream(db, name: name) != nil { throw StoreError.exists("stream \(name)") }
            return try StreamCatalog.insert(db, name: name, now: now, attributes: attributes, tags: tags)
        }
    }

    public func stream(id: Int64) throws -> StreamRecord? {
        try database.read { db in try StreamQueries.stream(db, id: id) }
    }

    /// Applies `change` if the stream is still at `expectedVersion` (nil: whatever it is), under a
    /// new version; returns the attributes as saved. `StoreError.versionMismatch` otherwise.
    @discardableResult
    public func updateAttributes(streamID: Int64, expectedVersion: String?,
                                 _ change: (inout StreamAttributes) throws -> Void) throws -> StreamAttributes {
        try database.write { db in
            guard let stream = try StreamQueries.stream(db, id: streamID) else { throw StoreError.notFound("stream \(streamID)") }
            if let expectedVersion, expectedVersion != stream.attributes.version {
                throw StoreError.versionMismatch("the stream's version is \(stream.attributes.version), not \(expectedVersion)")
            }
            var attributes = stream.attributes
            try change(&attributes)
            attributes.version = StreamAttributes.newVersion()
            try StreamCatalog.save(db, streamID: streamID, attributes: attributes)
            return attributes
        }
    }

    public func tags(streamID: Int64) throws -> [String: String] {
        try database.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM stream_tags WHERE stream_id = ?",
                                                              arguments: [streamID]).map { ($0["key"] as String, $0["value"] as String) })
        }
    }

    /// Sets and removes tags in one step; fails with `StoreError.tooManyTags` if the stream would
    /// end up with more than `StreamTags.maximum`.
    public func updateTags(streamID: Int64, set: [String: String], remove: [String]) throws {
        try database.write { db in
            for key in remove {
                try db.execute(sql: "DELETE FROM stream_tags WHERE stream_id = ? AND key = ?", arguments: [streamID, key])
            }
            for (key, value) in set {
                try db.execute(sql: """
                    INSERT INTO stream_tags (stream_id, key, value) VALUES (?, ?, ?)
                    ON CONFLICT (stream_id, key) DO UPDATE SET value = excluded.value
                    """, arguments: [streamID, key, value])
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM stream_tags WHERE stream_id = ?", arguments: [streamID]) ?? 0
            if count > StreamTags.maximum { throw StoreError.tooManyTags(count) }
        }
    }

    /// Streams in name order after `name` (exclusive), whose names begin with `prefix`.
    public func streams(after name: String?, prefix: String?, limit: Int) throws -> [StreamRecord] {
        try database.read { db in try StreamQueries.page(db, after: name, prefix: prefix, limit: limit) }
    }

    /// Fragments of a stream whose start (by `kind`'s clock) is within `from...through`, in time
    /// order after `cursor` (ListFragments' selection: by start, both ends inclusive).
    public func fragments(streamID: Int64, kind: TimestampKind, startingFrom from: Int64, through: Int64,
                          after cursor: FragmentCursor?, limit: Int) throws -> [FragmentRecord] {
        try database.read { db in
            try FragmentIndex.fragments(db, streamID: streamID, kind: kind, startingFrom: from, through: through, after: cursor,
                                        limit: limit, retainedFrom: try retentionCutoff(db, streamID: streamID))
        }
    }
}
