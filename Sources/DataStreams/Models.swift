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
    private static let prefix = Array("shardId-".utf8)

    /// "shardId-" + the index in 12 digits, written in place (this runs once per stored record).
    public static func format(_ index: Int) -> String {
        guard (0..<1_000_000_000_000).contains(index) else {
            return "shardId-" + String(index)
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            for (i, byte) in prefix.enumerated() { buffer[i] = byte }
            var value = index
            for i in stride(from: 19, through: 8, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return 20
        }
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
    /// "49" + the shard in 6 digits + the counter in 20 digits, written in place (this runs once
    /// per record returned by PutRecords and GetRecords).
    public static func format(shard: Int, counter: Int64) -> String {
        String(unsafeUninitializedCapacity: 28) { buffer in
            buffer[0] = UInt8(ascii: "4")
            buffer[1] = UInt8(ascii: "9")
            var value = UInt64(max(0, shard))
            for i in stride(from: 7, through: 2, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            value = UInt64(max(0, counter))
            for i in stride(from: 27, through: 8, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return 28
        }
    }

    public static func parse(_ text: String) -> (shard: Int, counter: Int64)? {
        guard text.count == 28, text.hasPrefix("49"), text.allSatisfy(\.isNumber) else { return nil }
        let chars = Array(text)
        guard let shard = Int(String(chars[2..<8])), let counter = Int64(String(chars[8...])) else { return nil }
        return (shard, counter)
    }
}
