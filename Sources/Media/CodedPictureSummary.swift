/// What a compressed picture says about itself without being decoded: how many bytes its slices
/// take (filler, SEI and parameter sets left out, so a constant-bitrate encoder's padding does
/// not count) and whether later pictures may refer to it. Read from NAL unit headers only.
public struct CodedPictureSummary: Sendable, Equatable {
    /// Bytes of the picture's slice NAL units (headers included).
    public var sliceBytes: Int
    /// Some slice is a reference picture (H.264 `nal_ref_idc` ≠ 0; H.265 not a sub-layer
    /// non-reference type). Non-reference pictures (disposable B-frames) code differently.
    public var isReference: Bool
    /// Bytes of filler data NAL units: an encoder padding to a constant bitrate.
    public var fillerBytes: Int

    public init(sliceBytes: Int, isReference: Bool, fillerBytes: Int = 0) {
        self.sliceBytes = sliceBytes
        self.isReference = isReference
        self.fillerBytes = fillerBytes
    }
}

/// Reads `CodedPictureSummary` from packets of one H.264 or H.265 track, in either framing:
/// 4/2/1-byte length prefixes (MP4, Matroska: the configuration record says which) or Annex B
/// start codes (MPEG-TS, RTP). Untrusted bytes: every length is checked against what is left;
/// a packet that does not parse as NAL units counts whole, as one reference picture.
public struct NALUnitReader: Sendable {
    public let codec: VideoCodec
    /// Bytes of each length prefix; nil for Annex B.
    public let lengthSize: Int?

    public init(codec: VideoCodec, lengthSize: Int?) {
        self.codec = codec
        self.lengthSize = lengthSize
    }

    /// The framing an `avcC`/`hvcC` record announces (version 1 first), or Annex B otherwise.
    public init(codec: VideoCodec, extradata: [UInt8]) {
        var lengthSize: Int?
        if extradata.first == 1 {
            let index = codec == .h264 ? 4 : 21
            if extradata.count > index { lengthSize = Int(extradata[index] & 3) + 1 }
        }
        self.init(codec: codec, lengthSize: lengthSize == 3 ? nil : lengthSize)
    }

    public func summary(of bytes: UnsafeRawBufferPointer) -> CodedPictureSummary {
        var units: [(header: UInt8, size: Int)] = []
        let parsed = lengthSize.map { lengthPrefixed(bytes, $0, into: &units) } ?? annexB(bytes, into: &units)
        guard parsed, !units.isEmpty else { return CodedPictureSummary(sliceBytes: bytes.count, isReference: true) }
        var summary = CodedPictureSummary(sliceBytes: 0, isReference: false)
        for unit in units {
            if isSlice(unit.header) {
                summary.sliceBytes += unit.size
                if isReference(unit.header) { summary.isReference = true }
            } else if isFiller(unit.header) {
                summary.fillerBytes += unit.size
            }
        }
        return summary
    }

    private func isSlice(_ header: UInt8) -> Bool {
        codec == .h264 ? (1...5).contains(header & 0x1f) : (header >> 1) & 0x3f < 32
    }

    private func isFiller(_ header: UInt8) -> Bool {
        codec == .h264 ? header & 0x1f == 12 : (header >> 1) & 0x3f == 38
    }

    private func isReference(_ header: UInt8) -> Bool {
        if codec == .h264 { return header & 0x60 != 0 }
        let type = (header >> 1) & 0x3f
        // TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N, RSV_VCL_N10/12/14: even types below 16.
        return !(type < 16 && type % 2 == 0)
    }

    private func lengthPrefixed(_ bytes: UnsafeRawBufferPointer, _ lengthSize: Int,
                                into units: inout [(header: UInt8, size: Int)]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= lengthSize else { return false }
            var length = 0
            for i in 0..<lengthSize { length = length << 8 | Int(bytes[offset + i]) }
            offset += lengthSize
            guard length > 0, length <= bytes.count - offset else { return false }
            units.append((bytes[offset], length))
            offset += length
        }
        return true
    }

    private func annexB(_ bytes: UnsafeRawBufferPointer, into units: inout [(header: UInt8, size: Int)]) -> Bool {
        var starts: [Int] = []
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 {
                starts.append(i + 3)
                i += 3
            } else {
                i += 1
            }
        }
        for (index, start) in starts.enumerated() where start < bytes.count {
            // The next start code's zeros (two, or three before a 4-byte code) are not this unit's.
            var end = index + 1 < starts.count ? starts[index + 1] - 3 : bytes.count
            while end > start && bytes[end - 1] == 0 && index + 1 < starts.count { end -= 1 }
            if end > start { units.append((bytes[start], end - start)) }
        }
        return !starts.isEmpty
    }
}

extension Packet {
    /// The packet's bytes, for readers that inspect without copying.
    public func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        guard let data = pointer.pointee.data, pointer.pointee.size > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: data, count: Int(pointer.pointee.size)))
    }
}
