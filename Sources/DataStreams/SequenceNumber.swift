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
