/// RFC 6381 codec strings (HLS `CODECS`, DASH `codecs`) from a track's sample entry and its
/// codec configuration record, as browsers check them before playing.
public enum CodecString {
    public static func of(_ track: MP4Track) -> String? {
        let config = track.codecPrivate
        switch track.format {
        case "avc1", "avc3":
            // avcC: version, profile, compatibility, level.
            guard config.count >= 4 else { return track.format }
            return track.format + "." + config[1...3].map(hex2).joined()
        case "hvc1", "hev1":
            return hevc(track.format, config) ?? track.format
        case "mp4a":
            // AudioSpecificConfig: the object type is the first five bits.
            guard let first = config.first else { return "mp4a.40.2" }
            return "mp4a.40.\(first >> 3)"
        default:
            return nil
        }
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// hvcC: profile space/tier/profile, 32 compatibility flags, 48 constraint bits, level.
    private static func hevc(_ format: String, _ c: [UInt8]) -> String? {
        guard c.count >= 13 else { return nil }
        let space = ["", "A", "B", "C"][Int(c[1] >> 6)]
        let tier = (c[1] & 0x20) != 0 ? "H" : "L"
        let profile = c[1] & 0x1F
        let flags = UInt32(c[2]) << 24 | UInt32(c[3]) << 16 | UInt32(c[4]) << 8 | UInt32(c[5])
        var reversed: UInt32 = 0
        for bit in 0..<32 where flags & (1 << UInt32(bit)) != 0 { reversed |= 1 << UInt32(31 - bit) }
        var constraints = Array(c[6...11])
        while let last = constraints.last, last == 0 { constraints.removeLast() }
        var parts = [format, space + String(profile), String(reversed, radix: 16), tier + String(c[12])]
        parts += constraints.map { String($0, radix: 16) }
        return parts.joined(separator: ".")
    }
}
