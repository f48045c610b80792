/// How one codec's RTP payload format lays out NAL units: H.264 (RFC 6184) or H.265 (RFC 7798).
public protocol NALPayloadFormat: Sendable {
    /// Bytes in a NAL unit header (1 for H.264, 2 for H.265).
    static var headerLength: Int { get }
    /// The payload's packetization kind, from its first bytes.
    static func kind(of payload: ArraySlice<UInt8>) -> NALPayloadKind
    /// For a fragmentation unit: the start/end flags and the rebuilt NAL header (its first
    /// `headerLength` bytes count; a tuple, not an array, since this runs for every packet).
    static func fragment(_ payload: ArraySlice<UInt8>) -> (start: Bool, end: Bool, header: (UInt8, UInt8))?
    /// From the first byte of a NAL unit header.
    static func isKeyFrame(nalHeader: UInt8) -> Bool
}

public enum NALPayloadKind: Sendable {
    case single, aggregation, fragment, unsupported
}

public enum H264Payload: NALPayloadFormat {
    public static let headerLength = 1

    public static func kind(of payload: ArraySlice<UInt8>) -> NALPayloadKind {
        switch payload.first.map({ $0 & 0x1F }) {
        case .some(1...23): return .single
        case .some(24): return .aggregation // STAP-A
        case .some(28): return .fragment    // FU-A
        default: return .unsupported        // STAP-B, MTAP, FU-B: interleaved mode is not used
        }
    }

    public static func fragment(_ payload: ArraySlice<UInt8>) -> (start: Bool, end: Bool, header: (UInt8, UInt8))? {
        guard payload.count >= 2 else { return nil }
        let indicator = payload[payload.startIndex], fu = payload[payload.startIndex + 1]
        return (fu & 0x80 != 0, fu & 0x40 != 0, ((indicator & 0xE0) | (fu & 0x1F), 0))
    }

    public static func isKeyFrame(nalHeader: UInt8) -> Bool {
        nalHeader & 0x1F == 5 // IDR slice
    }
}

public enum H265Payload: NALPayloadFormat {
    public static let headerLength = 2

    static func type(_ payload: ArraySlice<UInt8>) -> UInt8? {
        payload.first.map { ($0 >> 1) & 0x3F }
    }

    public static func kind(of payload: ArraySlice<UInt8>) -> NALPayloadKind {
        guard payload.count >= 2, let type = type(payload) else { return .unsupported }
        switch type {
        case 0...47: return .single
        case 48: return .aggregation // AP
        case 49: return .fragment    // FU
        default: return .unsupported // PACI and reserved
        }
    }

    public static func fragment(_ payload: ArraySlice<UInt8>) -> (start: Bool, end: Bool, header: (UInt8, UInt8))? {
        guard payload.count >= 3 else { return nil }
        let h0 = payload[payload.startIndex], h1 = payload[payload.startIndex + 1], fu = payload[payload.startIndex + 2]
        return (fu & 0x80 != 0, fu & 0x40 != 0, ((h0 & 0x81) | ((fu & 0x3F) << 1), h1))
    }

    public static func isKeyFrame(nalHeader: UInt8) -> Bool {
        (16...23).contains((nalHeader >> 1) & 0x3F) // IRAP pictures
    }
}

public typealias H264Depacketizer = NALDepacketizer<H264Payload>
public typealias H265Depacketizer = NALDepacketizer<H265Payload>

/// Reassembles access units from RTP payloads of a NAL-based codec. Output is NAL units each
/// preceded by its 4-byte big-endian length (the MP4 sample layout, so the muxer stores them as
/// they are instead of scanning for start codes), one access unit per RTP timestamp, closed by the
/// marker bit or a new timestamp.
///
/// A sequence gap or a broken packet drops the damaged access unit and everything after it until
/// the next key frame, so the decoder never sees references to missing data; each loss is
/// counted. Buffers are bounded (`maxAccessUnitBytes`).
public struct NALDepacketizer<Format: NALPayloadFormat>: Sendable {
    public struct AccessUnit: Equatable, Sendable {
        public var timestamp: Int64
        public var isKeyFrame: Bool
        public var data: [UInt8]
    }

    public static var maxAccessUnitBytes: Int { 8 << 20 }

    public private(set) var droppedAccessUnits = 0
    public private(set) var malformedPackets = 0

    private var unwrapper = RTPTimestampUnwrapper()
    private var expectedSequence: UInt16?
    private var current: AccessUnit?
    private var currentBroken = false
    /// A fragmented NAL is being appended to the current access unit.
    private var fragmentOpen = false
    /// Where that NAL's length field is, filled in when its last piece arrives.
    private var fragmentLengthOffset = 0
    private var waitingForKeyFrame = true
    /// Sizes of the last complete key and delta frames: a new access unit reserves about that
    /// much, so appending packet after packet does not copy the growing frame again and again.
    private var lastKeyFrameBytes = 0
    private var lastDeltaFrameBytes = 0

    public init() {}

    /// Feeds one packet; returns the access units it completed (usually zero or one).
    public mutating func push(_ packet: RTPPacket) -> [AccessUnit] {
        var out: [AccessUnit] = []
        if let expected = expectedSequence, packet.sequenceNumber != expected {
            // Lost packets: whatever is being assembled cannot be trusted.
            currentBroken = true
            fragmentOpen = false
            waitingForKeyFrame = true
        }
        expectedSequence = packet.sequenceNumber &+ 1
        let timestamp = unwrapper.unwrap(packet.timestamp)
        if let open = current, open.timestamp != timestamp {
            out += finish()
        }
        if current == nil {
            current = AccessUnit(timestamp: timestamp, isKeyFrame: false, data: [])
            current!.data.reserveCapacity(lastDeltaFrameBytes + lastDeltaFrameBytes / 4)
        }
        appendPayload(packet.payload)
        if packet.marker { out += finish() }
        return out
    }

    private mutating func appendPayload(_ payload: ArraySlice<UInt8>) {
        switch Format.kind(of: payload) {
        case .single:
            appendNAL(payload)
        case .aggregation: // 16-bit sizes, then NAL units
            var i = payload.startIndex + Format.headerLength
            guard i < payload.endIndex else { return markMalformed() }
            while i < payload.endIndex {
                guard i + 2 <= payload.endIndex else { return markMalformed() }
                let size = Int(payload[i]) << 8 | Int(payload[i + 1])
                i += 2
                guard size > 0, i + size <= payload.endIndex else { return markMalformed() }
                appendNAL(payload[i..<(i + size)])
                i += size
            }
        case .fragment:
            // The pieces go straight into the access unit (no separate reassembly buffer).
            guard let (start, end, header) = Format.fragment(payload), current != nil else { return markMalformed() }
            let body = payload[(payload.startIndex + Format.headerLength + 1)...]
            if start {
                if fragmentOpen { markMalformed() } // the previous one never ended
                if Format.isKeyFrame(nalHeader: header.0) { markKeyFrame() }
                fragmentLengthOffset = current!.data.count
                NALUnits.appendLength(0, to: &current!.data) // filled in at the end
                current!.data.append(header.0)
                if Format.headerLength == 2 { current!.data.append(header.1) }
                fragmentOpen = true
            } else if !fragmentOpen {
                return markMalformed() // a middle or end without a start
            }
            current!.data += body
            if current!.data.count > Self.maxAccessUnitBytes {
                return discardOversized()
            }
            if end {
                fragmentOpen = false
                let length = current!.data.count - fragmentLengthOffset - 4
                guard length >= 0 else { return markMalformed() }
                Self.writeLength(length, into: &current!.data, at: fragmentLengthOffset)
            }
        case .unsupported:
            markMalformed()
        }
    }

    private mutating func appendNAL(_ nal: ArraySlice<UInt8>) {
        guard current != nil, nal.count >= Format.headerLength else { return markMalformed() }
        // Mutated in place (a local copy would copy the whole access unit for every NAL).
        if Format.isKeyFrame(nalHeader: nal[nal.startIndex]) { markKeyFrame() }
        NALUnits.appendLength(nal.count, to: &current!.data)
        current!.data += nal
        if current!.data.count > Self.maxAccessUnitBytes {
            discardOversized()
        }
    }

    /// An access unit past the size limit: its bytes go (memory stays bounded), and so does any
    /// fragmented NAL open in it, whose length field went with them.
    private mutating func discardOversized() {
        current!.data = []
        fragmentOpen = false
        markMalformed()
    }

    private mutating func markKeyFrame() {
        guard !current!.isKeyFrame else { return }
        current!.isKeyFrame = true
        current!.data.reserveCapacity(lastKeyFrameBytes + lastKeyFrameBytes / 4)
    }

    private static func writeLength(_ length: Int, into data: inout [UInt8], at offset: Int) {
        data[offset] = UInt8(truncatingIfNeeded: length >> 24)
        data[offset + 1] = UInt8(truncatingIfNeeded: length >> 16)
        data[offset + 2] = UInt8(truncatingIfNeeded: length >> 8)
        data[offset + 3] = UInt8(truncatingIfNeeded: length)
    }

    private mutating func markMalformed() {
        malformedPackets += 1
        currentBroken = true
        waitingForKeyFrame = true
    }

    private mutating func finish() -> [AccessUnit] {
        if fragmentOpen {
            // Its last piece never came: the access unit holds half a NAL.
            currentBroken = true
            fragmentOpen = false
        }
        defer {
            current = nil
            currentBroken = false
        }
        guard let unit = current, !unit.data.isEmpty else { return [] }
        if currentBroken || (waitingForKeyFrame && !unit.isKeyFrame) {
            droppedAccessUnits += 1
            return []
        }
        waitingForKeyFrame = false
        if unit.isKeyFrame { lastKeyFrameBytes = unit.data.count } else { lastDeltaFrameBytes = unit.data.count }
        return [unit]
    }
}
