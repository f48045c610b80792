/// Shard ids as Kinesis shows them: `shardId-` and twelve digits.
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
