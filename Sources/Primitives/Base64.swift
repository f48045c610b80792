/// Strict standard base64 (RFC 4648 §4, padded), decoded from bytes in place: the blobs of a
/// PutRecords body are read without first becoming Strings.
public enum Base64 {
    /// 0–63 per alphabet byte, 0xFF for anything else.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()

    /// Nil unless `text` is whole groups of four with padding only at the end.
    public static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var padding = 0
        if text.last == UInt8(ascii: "=") { padding += 1 }
        if text.count >= 2, text[text.endIndex - 2] == UInt8(ascii: "=") { padding += 1 }
        let size = text.count / 4 * 3 - padding
        var valid = true
        let out = values.withUnsafeBufferPointer { table in
            text.withUnsafeBufferPointer { input in
                [UInt8](unsafeUninitializedCapacity: size + 2) { output, count in
                    var o = 0
                    var i = 0
                    // Every group but the last has no padding: four lookups, no inner loop.
                    let unpadded = input.count - (padding > 0 ? 4 : 0)
                    while i < unpadded {
                        let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                        let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                        // 0xFF marks a byte outside the alphabet; any such byte sets the top bits.
                        if (a | b | c | d) & 0xC0 != 0 { valid = false; break }
                        let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        output[o] = UInt8(truncatingIfNeeded: group >> 16)
                        output[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                        output[o + 2] = UInt8(truncatingIfNeeded: group)
                        o += 3
                        i += 4
                    }
                    if valid && i < input.count {
                        var group: UInt32 = 0
                        var bad: UInt8 = 0
                        for k in 0..<(4 - padding) {
                            let value = table[Int(input[i + k])]
                            bad |= value
                            group = group << 6 | UInt32(value & 0x3F)
                        }
                        if bad & 0xC0 != 0 { valid = false }
                        group <<= UInt32(6 * padding)
                        output[o] = UInt8(truncatingIfNeeded: group >> 16)
                        output[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                        output[o + 2] = UInt8(truncatingIfNeeded: group)
                        o += 3 - padding
                    }
                    count = valid ? o : 0
                }
            }
        }
        return valid ? out : nil
    }
}
