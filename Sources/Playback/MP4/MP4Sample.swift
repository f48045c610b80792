import Media

/// One sample of a stored fragment (moof+mdat): where its bytes are and when it plays.
public struct MP4Sample: Equatable, Sendable {
    public var trackID: UInt32
    /// Decode time and presentation offset, in the track's timescale.
    public var decodeTime: UInt64
    public var compositionOffset: Int64
    public var duration: UInt32
    public var isSync: Bool
    /// The sample's bytes within the fragment.
    public var range: Range<Int>

    public var presentationTime: Int64 { Int64(clamping: decodeTime) &+ compositionOffset }

    /// The samples of a fragment, track by track in `traf` order, each in decode order. Reading
    /// stops at the first box that does not make sense (what was read before it is kept).
    /// `size` is the whole fragment's when `bytes` holds only its beginning (the moof): sample
    /// ranges must fall inside it.
    public static func samples(fragment bytes: [UInt8], size: Int? = nil) -> [MP4Sample] {
        var samples: [MP4Sample] = []
        let limit = size ?? bytes.count
        for moof in MP4Boxes.topLevel(bytes) where moof.type == "moof" {
            for traf in MP4Boxes.children(of: moof, in: bytes) where traf.type == "traf" {
                guard let found = trackFragment(traf, moof: moof, bytes, limit: limit) else { return samples }
                samples += found
            }
        }
        return samples
    }

    private struct Defaults {
        var trackID: UInt32 = 0
        var baseOffset: Int
        /// Where the previous run's data ended: a run without its own data offset starts there.
        var nextData: Int?
        var duration: UInt32 = 0
        var size: UInt32 = 0
        var flags: UInt32 = 0
    }

    private static func trackFragment(_ traf: MP4Boxes.Box, moof: MP4Boxes.Box, _ bytes: [UInt8], limit: Int) -> [MP4Sample]? {
        let children = MP4Boxes.children(of: traf, in: bytes)
        guard let tfhd = children.first(where: { $0.type == "tfhd" }), var defaults = trackHeader(tfhd, moof: moof, bytes) else {
            return nil
        }
        var decodeTime: UInt64 = 0
        if let tfdt = children.first(where: { $0.type == "tfdt" }) {
            var reader = ByteReader(bytes, from: tfdt.offset + 8, to: tfdt.offset + tfdt.size)
            guard let version = reader.u8(), reader.skip(3) else { return nil }
            guard let time = version == 1 ? reader.u64() : reader.u32().map(UInt64.init) else { return nil }
            decodeTime = time
        }
        var samples: [MP4Sample] = []
        for trun in children where trun.type == "trun" {
            guard run(trun, defaults: &defaults, decodeTime: &decodeTime, into: &samples, bytes, limit: limit) else { return nil }
        }
        return samples
    }

    /// tfhd: the track and its sample defaults; the data base is the moof (default-base-is-moof,
    /// as videod's muxer writes) unless an explicit base offset is given.
    private static func trackHeader(_ tfhd: MP4Boxes.Box, moof: MP4Boxes.Box, _ bytes: [UInt8]) -> Defaults? {
        var reader = ByteReader(bytes, from: tfhd.offset + 8, to: tfhd.offset + tfhd.size)
        guard reader.skip(1), let high = reader.u8(), let low = reader.u16(), let trackID = reader.u32() else { return nil }
        let flags = UInt32(high) << 16 | UInt32(low)
        var defaults = Defaults(trackID: trackID, baseOffset: moof.offset)
        if flags & 0x1 != 0 {
            // Offsets point into one stored fragment: anything past 2^40 is damage (and would
            // overflow the sums below).
            guard let base = reader.u64(), base < 1 << 40, let offset = Int(exactly: base) else { return nil }
            defaults.baseOffset = offset
        }
        if flags & 0x2 != 0 { guard reader.skip(4) else { return nil } }
        if flags & 0x8 != 0 { guard let value = reader.u32() else { return nil }; defaults.duration = value }
        if flags & 0x10 != 0 { guard let value = reader.u32() else { return nil }; defaults.size = value }
        if flags & 0x20 != 0 { guard let value = reader.u32() else { return nil }; defaults.flags = value }
        return defaults
    }

    private static func run(_ trun: MP4Boxes.Box, defaults: inout Defaults, decodeTime: inout UInt64,
                            into samples: inout [MP4Sample], _ bytes: [UInt8], limit: Int) -> Bool {
        var reader = ByteReader(bytes, from: trun.offset + 8, to: trun.offset + trun.size)
        guard let version = reader.u8(), let high = reader.u8(), let low = reader.u16(), let count = reader.u32() else { return false }
        let flags = UInt32(high) << 16 | UInt32(low)
        // A run's explicit data offset counts from the track fragment's base, not from the
        // previous run (ISO/IEC 14496-12 8.8.8); without one, the run follows the previous.
        var dataOffset = defaults.nextData ?? defaults.baseOffset
        if flags & 0x1 != 0 {
            guard let value = reader.u32() else { return false }
            dataOffset = defaults.baseOffset + Int(Int32(bitPattern: value))
        }
        var firstFlags: UInt32?
        if flags & 0x4 != 0 { guard let value = reader.u32() else { return false }; firstFlags = value }
        // Each sample takes 4 bytes per present field: a count the box cannot hold is damage.
        let fieldBytes = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count * 4
        guard Int(count) <= (fieldBytes == 0 ? 1 << 20 : reader.remaining / fieldBytes) else { return false }
        for index in 0..<Int(count) {
            var duration = defaults.duration, size = defaults.size, sampleFlags = defaults.flags, offset: Int64 = 0
            if flags & 0x100 != 0 { guard let v = reader.u32() else { return false }; duration = v }
            if flags & 0x200 != 0 { guard let v = reader.u32() else { return false }; size = v }
            if flags & 0x400 != 0 { guard let v = reader.u32() else { return false }; sampleFlags = v }
            if index == 0, let firstFlags { sampleFlags = firstFlags }
            if flags & 0x800 != 0 {
                guard let v = reader.u32() else { return false }
                offset = version == 0 ? Int64(v) : Int64(Int32(bitPattern: v))
            }
            let end = dataOffset + Int(size)
            guard dataOffset >= 0, end <= limit else { return false }
            samples.append(MP4Sample(trackID: defaults.trackID, decodeTime: decodeTime, compositionOffset: offset,
                                     duration: duration, isSync: sampleFlags & 0x1_0000 == 0, range: dataOffset..<end))
            dataOffset = end
            decodeTime &+= UInt64(duration)
        }
        defaults.nextData = dataOffset
        return true
    }
}
