/// A data stream as the log stores it.
public struct DataStreamRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// Milliseconds since the epoch.
    public var createdAt: Int64
    public var onDemand: Bool
    public var retentionHours: Int
    public var maxRecordSizeKiB: Int
    public var shards: [ShardRecord]
}

/// One shard: its index (shown as `shardId-000000000007`) and inclusive hash-key range.
public struct ShardRecord: Sendable, Equatable {
    public var index: Int
    public var range: ClosedRange<UInt128>

    public var id: String { ShardID.format(index) }
}

public enum ShardID {
    public static func format(_ index: Int) -> String {
        let digits = String(index)
        return "shardId-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    public static func parse(_ text: String) -> Int? {
        guard text.hasPrefix("shardId-") else { return nil }
        let digits = text.dropFirst(8)
        guard digits.count == 12, digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }
}

/// A record as stored and returned by GetRecords.
public struct StoredRecord: Sendable, Equatable {
    public var shard: Int
    public var sequence: Int64
    /// Milliseconds since the epoch.
    public var arrival: Int64
    public var partitionKey: String
    public var data: [UInt8]
}

/// A record to append, already routed to its shard.
public struct NewRecord: Sendable {
    public var shard: Int
    public var partitionKey: String
    public var data: [UInt8]

    public init(shard: Int, partitionKey: String, data: [UInt8]) {
        self.shard = shard
        self.partitionKey = partitionKey
        self.data = data
    }
}

/// Sequence numbers are decimal strings: "49", six digits of shard index, twenty digits of a
/// per-shard counter. Fixed width with a non-zero lead digit, so string order, numeric order and
/// write order agree within a shard.
public enum SequenceNumber {
    public static func format(shard: Int, counter: Int64) -> String {
        let s = String(shard), c = String(counter)
        return "49" + String(repeating: "0", count: max(0, 6 - s.count)) + s
            + String(repeating: "0", count: max(0, 20 - c.count)) + c
    }

    public static func parse(_ text: String) -> (shard: Int, counter: Int64)? {
        guard text.count == 28, text.hasPrefix("49"), text.allSatisfy(\.isNumber) else { return nil }
        let chars = Array(text)
        guard let shard = Int(String(chars[2..<8])), let counter = Int64(String(chars[8...])) else { return nil }
        return (shard, counter)
    }
}
