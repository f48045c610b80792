/// Reassembles H.264 access units from RTP payloads (RFC 6184, packetization modes 0 and 1:
/// single NAL unit, STAP-A, FU-A). Output is Annex B (start codes), one access unit per RTP
/// timestamp, closed by the marker bit or a new timestamp.
///
/// A sequence gap or a broken fragment drops the damaged access unit and everything after it
/// until the next IDR picture, so the decoder never sees references to missing data; each loss
/// is counted. Buffers are bounded (`maxAccessUnitBytes`).
public struct H264Depacketizer: Sendable {
    public struct AccessUnit: Equatable, Sendable {
        public var timestamp: Int64
        public var isKeyFrame: Bool
        public var data: [UInt8]
    }

    public static let maxAccessUnitBytes = 8 << 20
    static let startCode: [UInt8] = [0, 0, 0, 1]

    public private(set) var droppedAccessUnits = 0
    public private(set) var malformedPackets = 0

    private var unwrapper = RTPTimestampUnwrapper()
    private var expectedSequence: UInt16?
    private var current: AccessUnit?
    private var currentBroken = false
    private var fragment: [UInt8]?
    private var waitingForKeyFrame = true

    public init() {}

    /// Feeds one packet; returns the access units it completed (usually zero or one).
    public mutating func push(_ packet: RTPPacket) -> [AccessUnit] {
        var out: [AccessUnit] = []
        if let expected = expectedSequence, packet.sequenceNumber != expected {
            // Lost packets: whatever is being assembled cannot be trusted.
            currentBroken = true
            fragment = nil
            waitingForKeyFrame = true
        }
        expectedSequence = packet.sequenceNumber &+ 1
        let timestamp = unwrapper.unwrap(packet.timestamp)
        if let open = current, open.timestamp != timestamp {
            out += finish()
        }
        if current == nil { current = AccessUnit(timestamp: timestamp, isKeyFrame: false, data: []) }
        appendPayload(packet.payload)
        if packet.marker { out += finish() }
        return out
    }

    private mutating func appendPayload(_ payload: ArraySlice<UInt8>) {
        guard let header = payload.first else { return markMalformed() }
        let type = header & 0x1F
        switch type {
        case 1...23:
            appendNAL(payload)
        case 24: // STAP-A: 16-bit sizes, then NAL units
            var i = payload.startIndex + 1
            while i < payload.endIndex {
                guard i + 2 <= payload.endIndex else { return markMalformed() }
                let size = Int(payload[i]) << 8 | Int(payload[i + 1])
                i += 2
                guard size > 0, i + size <= payload.endIndex else { return markMalformed() }
                appendNAL(payload[i..<(i + size)])
                i += size
            }
        case 28: // FU-A
            guard payload.count >= 2 else { return markMalformed() }
            let indicator = payload[payload.startIndex], fuHeader = payload[payload.startIndex + 1]
            let start = fuHeader & 0x80 != 0, end = fuHeader & 0x40 != 0
            let body = payload[(payload.startIndex + 2)...]
            if start {
                fragment = [(indicator & 0xE0) | (fuHeader & 0x1F)] + body
            } else if fragment != nil {
                fragment! += body
            } else {
                return markMalformed() // a middle or end without a start
            }
            if (fragment?.count ?? 0) > Self.maxAccessUnitBytes { fragment = nil; return markMalformed() }
            if end, let nal = fragment {
                appendNAL(nal[...])
                fragment = nil
            }
        default:
            markMalformed() // STAP-B, MTAP, FU-B: interleaved mode is not offered in our SDP answer
        }
    }

    private mutating func appendNAL(_ nal: ArraySlice<UInt8>) {
        guard var unit = current, let header = nal.first else { return }
        if header & 0x1F == 5 { unit.isKeyFrame = true }
        unit.data += Self.startCode
        unit.data += nal
        if unit.data.count > Self.maxAccessUnitBytes {
            currentBroken = true
            unit.data = []
        }
        current = unit
    }

    private mutating func markMalformed() {
        malformedPackets += 1
        currentBroken = true
        waitingForKeyFrame = true
    }

    private mutating func finish() -> [AccessUnit] {
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
        return [unit]
    }
}
