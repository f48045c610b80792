/// The two layouts of NAL units in a buffer: Annex B (start codes), as SDPs and elementary
/// streams carry them, and length-prefixed (4-byte big-endian sizes), as MP4 samples store them
/// and the depacketizers produce them.
enum NALUnits {
    /// The byte ranges of the NAL units between start codes (00 00 01 or 00 00 00 01).
    static func annexBRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var starts: [(code: Int, body: Int)] = []
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                let code = i > 0 && bytes[i - 1] == 0 ? i - 1 : i
                starts.append((code, i + 3))
                i += 3
            } else {
                i += 1
            }
        }
        return starts.indices.compactMap { k in
            let end = k + 1 < starts.count ? starts[k + 1].code : bytes.count
            return starts[k].body < end ? starts[k].body..<end : nil
        }
    }

    /// The byte ranges of length-prefixed NAL units; stops at a length that runs past the end.
    static func lengthPrefixedRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i + 4 <= bytes.count {
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length <= bytes.count - i - 4 else { break }
            if length > 0 { ranges.append((i + 4)..<(i + 4 + length)) }
            i += 4 + length
        }
        return ranges
    }

    static func annexB(_ bytes: [UInt8], units ranges: [Range<Int>]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4 * ranges.count)
        for range in ranges {
            out += [0, 0, 0, 1]
            out += bytes[range]
        }
        return out
    }

    static func lengthPrefixed(_ bytes: [UInt8], units ranges: [Range<Int>]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4 * ranges.count)
        for range in ranges {
            appendLength(range.count, to: &out)
            out += bytes[range]
        }
        return out
    }

    /// A NAL unit's 4-byte big-endian length field.
    static func appendLength(_ length: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: length >> 24))
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
    }
}
