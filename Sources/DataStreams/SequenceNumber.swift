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

    /// Nil unless `text` is one of ours: 28 ASCII digits, and a counter below `Int64.max` (so
    /// that the position after it still exists).
    public static func parse(_ text: String) -> (shard: Int, counter: Int64)? {
        let digits = Array(text.utf8)
        guard digits.count == 28, digits[0] == UInt8(ascii: "4"), digits[1] == UInt8(ascii: "9"),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let shard = Int(String(decoding: digits[2..<8], as: UTF8.self)),
              let counter = Int64(String(decoding: digits[8...], as: UTF8.self)), counter < Int64.max else { return nil }
        return (shard, counter)
    }
}
