import Media

/// One track taken out of videod's muxed fMP4 (DASH serves each track as its own
/// representation): an init segment with only that `trak`, and fragments with only its `traf`
/// and its samples, the `trun` data offsets moved to match. Boxes are copied, not re-encoded.
public enum SingleTrack {
    /// ftyp, then moov with mvhd, the track's trak and its trex. Nil when the track is not there.
    public static func initSegment(_ bytes: [UInt8], trackID: UInt32) -> [UInt8]? {
        let top = MP4Boxes.topLevel(bytes)
        guard let ftyp = top.first(where: { $0.type == "ftyp" }), let moov = top.first(where: { $0.type == "moov" }) else { return nil }
        let children = MP4Boxes.children(of: moov, in: bytes)
        guard let mvhd = children.first(where: { $0.type == "mvhd" }),
              let trak = children.first(where: { $0.type == "trak" && Self.trackID(ofTrak: $0, bytes) == trackID }) else { return nil }
        let trex = children.first { $0.type == "mvex" }.flatMap { mvex in
            MP4Boxes.children(of: mvex, in: bytes).first { $0.type == "trex" && u32(bytes, $0.offset + 12) == trackID }
        }
        var w = MP4Writer()
        w.raw(slice(bytes, ftyp))
        w.box("moov") { moov in
            moov.raw(slice(bytes, mvhd))
            moov.raw(slice(bytes, trak))
            if let trex { moov.box("mvex") { $0.raw(slice(bytes, trex)) } }
        }
        return w.bytes
    }

    /// moof (mfhd and the track's traf) + mdat of the track's samples. Nil when the fragment
    /// has no such track or is laid out in a way this does not move (explicit base offsets).
    public static func fragment(_ bytes: [UInt8], trackID: UInt32) -> [UInt8]? {
        guard let moof = MP4Boxes.topLevel(bytes).first(where: { $0.type == "moof" }) else { return nil }
        let children = MP4Boxes.children(of: moof, in: bytes)
        guard let mfhd = children.first(where: { $0.type == "mfhd" }),
              let traf = children.first(where: { $0.type == "traf" && Self.trackID(ofTraf: $0, bytes) == trackID }),
              let tfhd = MP4Boxes.children(of: traf, in: bytes).first(where: { $0.type == "tfhd" }),
              u32(bytes, tfhd.offset + 8).map({ $0 & 0x1 == 0 }) == true else { return nil }
        let samples = MP4Sample.samples(fragment: bytes).filter { $0.trackID == trackID }
        let truns = MP4Boxes.children(of: traf, in: bytes).filter { $0.type == "trun" }
        // Each trun must name its data offset (so it can be moved); its samples follow in order.
        var counts: [Int] = []
        for trun in truns {
            guard let flags = u32(bytes, trun.offset + 8), flags & 0x1 != 0, let count = u32(bytes, trun.offset + 12) else { return nil }
            counts.append(Int(count))
        }
        // A track's samples are part of the fragment: more bytes than it holds (overlapping runs in
        // a damaged file) would overflow the 32-bit offsets and sizes written below.
        let payload = samples.reduce(0) { $0 + $1.range.count }
        guard counts.reduce(0, +) == samples.count, payload <= bytes.count else { return nil }
        let moofSize = 8 + mfhd.size + traf.size
        var newTraf = slice(bytes, traf)
        var dataOffset = moofSize + 8
        var sampleIndex = 0
        for (trun, count) in zip(truns, counts) {
            let field = trun.offset - traf.offset + 16
            for index in 0..<4 { newTraf[field + index] = UInt8(truncatingIfNeeded: UInt32(dataOffset) >> UInt32(24 - 8 * index)) }
            dataOffset += samples[sampleIndex..<(sampleIndex + count)].reduce(0) { $0 + $1.range.count }
            sampleIndex += count
        }
        var w = MP4Writer()
        w.box("moof") { moof in
            moof.raw(slice(bytes, mfhd))
            moof.raw(newTraf)
        }
        w.u32(UInt32(8 + payload))
        w.fourCC("mdat")
        for sample in samples { w.raw(bytes[sample.range]) }
        return w.bytes
    }

    private static func slice(_ bytes: [UInt8], _ box: MP4Boxes.Box) -> [UInt8] {
        Array(bytes[box.offset..<(box.offset + box.size)])
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32? {
        var reader = ByteReader(bytes, from: offset, to: bytes.count)
        return reader.u32()
    }

    /// tkhd's track ID (after version/flags and two times of 4 or 8 bytes).
    private static func trackID(ofTrak trak: MP4Boxes.Box, _ bytes: [UInt8]) -> UInt32? {
        guard let tkhd = MP4Boxes.children(of: trak, in: bytes).first(where: { $0.type == "tkhd" }) else { return nil }
        var reader = ByteReader(bytes, from: tkhd.offset + 8, to: tkhd.offset + tkhd.size)
        guard let version = reader.u8(), reader.skip(3), reader.skip(version == 1 ? 16 : 8) else { return nil }
        return reader.u32()
    }

    private static func trackID(ofTraf traf: MP4Boxes.Box, _ bytes: [UInt8]) -> UInt32? {
        guard let tfhd = MP4Boxes.children(of: traf, in: bytes).first(where: { $0.type == "tfhd" }) else { return nil }
        return u32(bytes, tfhd.offset + 12)
    }
}
