import Foundation

/// A stream's own retention (`PUT /streams/{name}/retention`): keep everything for `all`, the
/// fragments around analysis events for `events` (± `eventPadding` seconds), and never more than
/// `maxBytes` of the stream. Durations are text like `3d`, `12h`, `90m`, `2w`, `45s`; sizes like
/// `50G`. The server's quota and KVS's DataRetentionInHours apply too: all only delete, so the
/// strictest wins.
public struct StreamRetention: Codable, Sendable, Equatable {
    public var all: String?
    public var events: String?
    public var eventPadding: Double?
    public var maxBytes: String?

    public static let settingName = "retention"
    public static let memberNames = ["all", "events", "eventPadding", "maxBytes"]

    public init(all: String? = nil, events: String? = nil, eventPadding: Double? = nil, maxBytes: String? = nil) {
        self.all = all
        self.events = events
        self.eventPadding = eventPadding
        self.maxBytes = maxBytes
    }

    /// The rule in microseconds and bytes, or why the settings make none.
    public func rule() throws -> Rule {
        var rule = Rule()
        if let all {
            guard let value = Self.microseconds(all) else { throw Invalid("all must be a duration like 3d, 12h, 90m") }
            rule.keepAll = value
        }
        if let events {
            guard let value = Self.microseconds(events) else { throw Invalid("events must be a duration like 30d, 12h") }
            guard let keepAll = rule.keepAll else { throw Invalid("events needs all: events keeps what all would drop") }
            guard value >= keepAll else { throw Invalid("events (\(events)) must be at least all (\(all ?? ""))") }
            rule.keepEvents = value
        }
        if let eventPadding {
            guard eventPadding.isFinite, (0...3600).contains(eventPadding) else { throw Invalid("eventPadding must be 0…3600 seconds") }
            guard events != nil else { throw Invalid("eventPadding needs events") }
            rule.eventPadding = Int64(eventPadding * 1_000_000)
        }
        if let maxBytes {
            guard case .bytes(let bytes)? = DiskQuota(maxBytes) else { throw Invalid("maxBytes must be a size like 50G or 800M") }
            rule.maxBytes = bytes
        }
        return rule
    }

    public struct Rule: Sendable, Equatable {
        /// Everything younger than this (by arrival) is kept.
        public var keepAll: Int64?
        /// Between `keepAll` and this, only fragments around events are kept; older ones go.
        public var keepEvents: Int64?
        public var eventPadding: Int64 = 5_000_000
        public var maxBytes: Int64?

        public init() {}
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// `3d` → µs; units s, m, h, d, w; from 1 second to 100 years. Nil for anything else.
    static func microseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard trimmed.count >= 2, trimmed.count <= 16, let unit = trimmed.last else { return nil }
        let seconds: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let scale = seconds[unit], let value = Double(trimmed.dropLast()), value.isFinite,
              value * scale >= 1, value * scale <= 100 * 365 * 86_400 else { return nil }
        return Int64(exactly: (value * scale * 1_000_000).rounded(.down))
    }
}
