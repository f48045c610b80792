import GRDB

/// The stream catalog's rows: attributes with their version, and tags.
enum StreamCatalog {
    static func insert(_ db: Database, name: String, now: Int64, attributes: StreamAttributes,
                       tags: [String: String]) throws -> StreamRecord {
        guard tags.count <= StreamTags.maximum else { throw StoreError.tooManyTags(tags.count) }
        try db.execute(sql: """
            INSERT INTO streams (name, created_at, device_name, media_type, kms_key_id, retention_hours, storage_tier, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [name, now, attributes.deviceName, attributes.mediaType, attributes.kmsKeyID, attributes.retentionHours,
                             attributes.storageTier, attributes.version])
        let id = db.lastInsertedRowID
        for (key, value) in tags {
            try db.execute(sql: "INSERT INTO stream_tags (stream_id, key, value) VALUES (?, ?, ?)", arguments: [id, key, value])
        }
        return StreamRecord(id: id, name: name, createdAt: now, tracks: [], attributes: attributes)
    }

    static func save(_ db: Database, streamID: Int64, attributes: StreamAttributes) throws {
        try db.execute(sql: """
            UPDATE streams SET device_name = ?, media_type = ?, kms_key_id = ?, retention_hours = ?, storage_tier = ?, version = ?
            WHERE id = ?
            """, arguments: [attributes.deviceName, attributes.mediaType, attributes.kmsKeyID, attributes.retentionHours,
                             attributes.storageTier, attributes.version, streamID])
    }
}

/// Tags on a stream: at most 50, keys unique.
public enum StreamTags {
    public static let maximum = 50
}
