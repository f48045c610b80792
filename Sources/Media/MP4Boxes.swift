/// Minimal walking of top-level ISO-BMFF boxes (size + type headers), enough to split an
/// init segment from fragments and to check what a byte range holds.
public enum MP4Boxes {
    public struct Box: Equatable, Sendable {
        public let type: String
        public let offset: Int
        public let size: Int
    }

    /// Top-level boxes of `bytes`; stops at the first box whose header or length does not fit.
    public static func topLevel(_ bytes: [UInt8]) -> [Box] {
        boxes(in: bytes, from: 0, to: bytes.count)
    }

    /// The boxes directly inside a container box (moov, trak, mdia, moof, traf, …).
    public static func children(of box: Box, in bytes: [UInt8]) -> [Box] {
        boxes(in: bytes, from: box.offset + 8, to: box.offset + box.size)
    }

    /// The boxes laid end to end in `bytes[start..<end]`.
    public static func boxes(in bytes: [UInt8], from start: Int, to end: Int) -> [Box] {
        var boxes: [Box] = []
        var offset = start
        while offset + 8 <= end {
            var size = Int(readUInt32(bytes, offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if size == 1 {
                guard offset + 16 <= end else { break }
                size = Int(readUInt32(bytes, offset + 8)) << 32 | Int(readUInt32(bytes, offset + 12))
            } else if size == 0 {
                size = end - offset
            }
            // A 64-bit size near Int.max must not overflow the offset arithmetic.
            guard size >= 8, size <= end - offset else { break }
            boxes.append(Box(type: type, offset: offset, size: size))
            offset += size
        }
        return boxes
    }

    public static func firstOffset(of types: Set<String>, in bytes: [UInt8]) -> Int? {
        topLevel(bytes).first { types.contains($0.type) }?.offset
    }

    static func readUInt32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
