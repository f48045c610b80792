import Foundation
import GRDB

/// Each stream's own retention (`StreamRetention`): thinning to the video around events past
/// `all`, nothing past `events`, and the oldest files beyond `maxBytes`.
extension FragmentStore {
    public func streamRetention(streamID: Int64) throws -> StreamRetention? {
        guard let json = try setting(StreamRetention.settingName, streamID: streamID) else { return nil }
        return try JSONDecoder().decode(StreamRetention.self, from: Data(json.utf8))
    }

    /// Stores a stream's retention (checked first); nil removes it.
    public func setStreamRetention(_ retention: StreamRetention?, streamID: Int64) throws {
        guard let retention else { return try removeSetting(StreamRetention.settingName, streamID: streamID) }
        _ = try retention.rule()
        try setSetting(StreamRetention.settingName, streamID: streamID,
                       json: String(decoding: try JSONEncoder().encode(retention), as: UTF8.self))
    }

    /// What one sweep of the streams' own retention removed, by stream name.
    public struct StreamRetentionSweep: Sendable {
        /// Past `all` and not near an event, or past `events`.
        public var byAge: [String: Expired] = [:]
        /// Beyond `maxBytes`.
        public var bySize: [String: Expired] = [:]
    }

    public func sweepStreamRetention() throws -> StreamRetentionSweep {
        var sweep = StreamRetentionSweep()
        let settings = try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.stream_id, s.json, t.name FROM stream_settings s JOIN streams t ON t.id = s.stream_id WHERE s.name = ?
                """, arguments: [StreamRetention.settingName])
        }
        let now = clock()
        for row in settings {
            let streamID: Int64 = row["stream_id"]
            let name: String = row["name"]
            // Stored settings were checked when set; one that no longer parses is skipped, not fatal.
            guard let retention = try? JSONDecoder().decode(StreamRetention.self, from: Data((row["json"] as String).utf8)),
                  let rule = try? retention.rule() else {
                logger.warning("a stream's retention settings do not parse; skipped", metadata: ["stream": "\(name)"])
                continue
            }
            var aged = Expired()
            if let keepAll = rule.keepAll {
                if let keepEvents = rule.keepEvents {
                    aged.add(try expire(streamID: streamID, arrivedBefore: now - keepEvents))
                    let spans = try eventSpans(streamID: streamID, from: .min / 2, to: .max / 2, padding: rule.eventPadding)
                    let setting: String = row["json"]
                    let after = thinning.judgedThrough(streamID: streamID, setting: setting)
                    let thinned = try thin(streamID: streamID, arrivedBefore: now - keepAll, keeping: SpanSet(spans), after: after)
                    thinning.record(streamID: streamID, setting: setting, through: thinned.judgedThrough)
                    aged.add(thinned.expired)
                    if let oldest = try oldestProducerStart(streamID: streamID) {
                        try forgetEventSpans(streamID: streamID, endingBefore: oldest - rule.eventPadding)
                    }
                } else {
                    aged.add(try expire(streamID: streamID, arrivedBefore: now - keepAll))
                }
            }
            if aged.fragments > 0 || aged.files > 0 { sweep.byAge[name] = aged }
            if let maxBytes = rule.maxBytes {
                let excess = try archiveBytes(streamID: streamID) - maxBytes
                if excess > 0 {
                    for (stream, gone) in try dropOldest(bytes: excess, streamID: streamID) { sweep.bySize[stream] = gone }
                }
            }
        }
        return sweep
    }

    func oldestProducerStart(streamID: Int64) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(producer_start) FROM fragments WHERE stream_id = ?", arguments: [streamID])
        }
    }
}
