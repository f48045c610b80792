import CFFmpeg

/// The decoder configuration record (avcC for H.264, hvcC for H.265) that the MP4 muxer builds
/// from Annex B parameter sets. With the record as extradata, the muxer and the decoders take
/// packets as length-prefixed NAL units as they are, instead of converting start codes in every
/// packet. libavformat builds the record (it parses the sets for profile, level, chroma format),
/// so the stored init segment is the one it would have written from the Annex B sets.
public enum DecoderConfigurationRecord {
    /// A copy of `parameters` (H.264 or H.265 with Annex B extradata and a picture size) whose
    /// extradata is the record.
    public static func lengthPrefixed(_ parameters: CodecParameters) throws -> CodecParameters {
        let muxer = try FragmentedMP4Muxer(tracks: [(parameters, (1, 90000))], movflags: "frag_custom+empty_moov")
        defer { muxer.close() }
        guard let record = record(inInitSegment: muxer.takeWritten()) else {
            throw MediaError("decoder configuration", message: "the muxer wrote no avcC/hvcC for \(parameters.codecName)")
        }
        let copy = try CodecParameters(copying: parameters.pointer)
        try CodecParameters.setExtradata(record, of: copy.pointer)
        return copy
    }

    /// The avcC/hvcC payload of the first track's first sample entry.
    static func record(inInitSegment bytes: [UInt8]) -> [UInt8]? {
        var box = MP4Boxes.topLevel(bytes).first { $0.type == "moov" }
        for type in ["trak", "mdia", "minf", "stbl", "stsd"] {
            box = box.flatMap { MP4Boxes.children(of: $0, in: bytes).first { $0.type == type } }
        }
        guard let stsd = box,
              // stsd: box header, version/flags and entry count, then the sample entries.
              let entry = MP4Boxes.boxes(in: bytes, from: stsd.offset + 16, to: stsd.offset + stsd.size).first
        else { return nil }
        // A visual sample entry has 78 bytes of fixed fields before its child boxes.
        let children = MP4Boxes.boxes(in: bytes, from: entry.offset + 8 + 78, to: entry.offset + entry.size)
        guard let config = children.first(where: { $0.type == "avcC" || $0.type == "hvcC" }) else { return nil }
        return Array(bytes[(config.offset + 8)..<(config.offset + config.size)])
    }
}
