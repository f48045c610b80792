import Media

/// One track of a stored init segment (ftyp+moov), with what a Matroska TrackEntry needs.
public struct MP4Track: Equatable, Sendable {
    public enum Kind: Sendable { case video, audio }
    public var id: UInt32
    public var kind: Kind
    public var timescale: UInt32
    /// The sample entry's four-character code: avc1, hvc1, mp4a, …
    public var format: String
    /// avcC / hvcC contents for video, the AudioSpecificConfig for AAC.
    public var codecPrivate: [UInt8]
    public var width: Int = 0
    public var height: Int = 0
    public var sampleRate: Int = 0
    public var channels: Int = 0

    /// Decoder/muxer parameters for the track, nil for a codec videod does not decode or remux.
    public func codecParameters() throws -> CodecParameters? {
        switch format {
        case "avc1", "avc3", "hvc1", "hev1":
            return try .video(hevc: format.hasPrefix("h"), configuration: codecPrivate, width: width, height: height)
        case "mp4a" where !codecPrivate.isEmpty:
            return try .aac(config: codecPrivate, sampleRate: sampleRate, channels: channels)
        default:
            return nil
        }
    }

    /// The tracks of an init segment, in moov order; tracks it cannot read are left out.
    public static func tracks(initSegment bytes: [UInt8]) -> [MP4Track] {
        guard let moov = MP4Boxes.topLevel(bytes).first(where: { $0.type == "moov" }) else { return [] }
        return MP4Boxes.children(of: moov, in: bytes).filter { $0.type == "trak" }.compactMap { track($0, bytes) }
    }

    private static func child(_ box: MP4Boxes.Box?, _ path: [String], _ bytes: [UInt8]) -> MP4Boxes.Box? {
        var current = box
        for type in path {
            guard let parent = current else { return nil }
            current = MP4Boxes.children(of: parent, in: bytes).first { $0.type == type }
        }
        return current
    }

    private static func track(_ trak: MP4Boxes.Box, _ bytes: [UInt8]) -> MP4Track? {
        guard let tkhd = child(trak, ["tkhd"], bytes), let mdhd = child(trak, ["mdia", "mdhd"], bytes),
              let hdlr = child(trak, ["mdia", "hdlr"], bytes),
              let stsd = child(trak, ["mdia", "minf", "stbl", "stsd"], bytes) else { return nil }
        // tkhd: version, flags, times (4 or 8 bytes each), then the track ID.
        var reader = ByteReader(bytes, from: tkhd.offset + 8, to: tkhd.offset + tkhd.size)
        guard let version = reader.u8(), reader.skip(3), reader.skip(version == 1 ? 16 : 8), let id = reader.u32() else { return nil }
        reader = ByteReader(bytes, from: mdhd.offset + 8, to: mdhd.offset + mdhd.size)
        guard let mdhdVersion = reader.u8(), reader.skip(3), reader.skip(mdhdVersion == 1 ? 16 : 8),
              let timescale = reader.u32(), timescale > 0 else { return nil }
        reader = ByteReader(bytes, from: hdlr.offset + 8, to: hdlr.offset + hdlr.size)
        guard reader.skip(8), let handler = reader.take(4) else { return nil }
        // stsd: version/flags, entry count, then the first sample entry (a box).
        guard let entry = MP4Boxes.boxes(in: bytes, from: stsd.offset + 16, to: stsd.offset + stsd.size).first else { return nil }
        switch String(decoding: handler, as: UTF8.self) {
        case "vide": return video(entry, id: id, timescale: timescale, bytes)
        case "soun": return audio(entry, id: id, timescale: timescale, bytes)
        default: return nil
        }
    }

    /// VisualSampleEntry: 6 reserved, data reference index, 16 bytes predefined, width, height,
    /// then 50 bytes up to its child boxes (avcC, hvcC).
    private static func video(_ entry: MP4Boxes.Box, id: UInt32, timescale: UInt32, _ bytes: [UInt8]) -> MP4Track? {
        var reader = ByteReader(bytes, from: entry.offset + 8 + 24, to: entry.offset + entry.size)
        guard let width = reader.u16(), let height = reader.u16() else { return nil }
        let children = MP4Boxes.boxes(in: bytes, from: entry.offset + 86, to: entry.offset + entry.size)
        guard let config = children.first(where: { ["avcC", "hvcC"].contains($0.type) }) else { return nil }
        return MP4Track(id: id, kind: .video, timescale: timescale, format: entry.type,
                        codecPrivate: Array(bytes[(config.offset + 8)..<(config.offset + config.size)]),
                        width: Int(width), height: Int(height))
    }

    /// AudioSampleEntry: 6 reserved, data reference index, 8 reserved, channels, sample size,
    /// 4 reserved, sample rate (16.16), then its child boxes (esds).
    private static func audio(_ entry: MP4Boxes.Box, id: UInt32, timescale: UInt32, _ bytes: [UInt8]) -> MP4Track? {
        var reader = ByteReader(bytes, from: entry.offset + 8 + 16, to: entry.offset + entry.size)
        guard let channels = reader.u16(), reader.skip(6), let rate = reader.u32() else { return nil }
        let children = MP4Boxes.boxes(in: bytes, from: entry.offset + 36, to: entry.offset + entry.size)
        var config: [UInt8] = []
        if let esds = children.first(where: { $0.type == "esds" }) {
            config = ESDescriptor.audioSpecificConfig(bytes, from: esds.offset + 12, to: esds.offset + esds.size) ?? []
        }
        return MP4Track(id: id, kind: .audio, timescale: timescale, format: entry.type, codecPrivate: config,
                        sampleRate: Int(rate >> 16), channels: audioSpecificChannels(config) ?? Int(channels))
    }

    /// The channel count an AAC AudioSpecificConfig gives (MP4 sample entries say 2 whatever the
    /// stream holds): 5 bits object type, 4 bits rate index (+24 bits if explicit), 4 bits channels.
    static func audioSpecificChannels(_ config: [UInt8]) -> Int? {
        guard config.count >= 2 else { return nil }
        let bits = config.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } << UInt64(8 * (8 - min(config.count, 6)))
        let rateIndex = (bits >> 55) & 0xF
        guard rateIndex != 0xF || config.count >= 5 else { return nil }
        let shift: UInt64 = rateIndex == 0xF ? 64 - 9 - 24 - 4 : 64 - 9 - 4
        let configuration = Int((bits >> shift) & 0xF)
        switch configuration {
        case 1...6: return configuration
        case 7: return 8
        default: return nil
        }
    }
}

/// The MPEG-4 descriptors inside `esds`: ES_Descriptor (3) → DecoderConfigDescriptor (4) →
/// DecoderSpecificInfo (5), whose payload is AAC's AudioSpecificConfig.
enum ESDescriptor {
    static func audioSpecificConfig(_ bytes: [UInt8], from start: Int, to end: Int) -> [UInt8]? {
        var reader = ByteReader(bytes, from: start, to: end)
        guard let (tag, _) = header(&reader), tag == 3, reader.skip(2), let flags = reader.u8() else { return nil }
        if flags & 0x80 != 0 { guard reader.skip(2) else { return nil } }
        if flags & 0x40 != 0 { guard let length = reader.u8(), reader.skip(Int(length)) else { return nil } }
        if flags & 0x20 != 0 { guard reader.skip(2) else { return nil } }
        guard let (configTag, _) = header(&reader), configTag == 4, reader.skip(13),
              let (infoTag, length) = header(&reader), infoTag == 5 else { return nil }
        return reader.take(length)
    }

    /// A descriptor's tag and its length (7 bits per byte, at most 4 bytes).
    private static func header(_ reader: inout ByteReader) -> (UInt8, Int)? {
        guard let tag = reader.u8() else { return nil }
        var length = 0
        for _ in 0..<4 {
            guard let byte = reader.u8() else { return nil }
            length = length << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 { return (tag, length) }
        }
        return nil
    }
}
