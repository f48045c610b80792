/// Reads big-endian bit fields.
struct BitReader {
    let bytes: ArraySlice<UInt8>
    var position = 0

    mutating func read(_ count: Int) -> Int? {
        guard count >= 0, position + count <= bytes.count * 8 else { return nil }
        var value = 0
        for _ in 0..<count {
            let byte = bytes[bytes.startIndex + position / 8]
            value = value << 1 | Int((byte >> (7 - UInt8(position % 8))) & 1)
            position += 1
        }
        return value
    }
}
