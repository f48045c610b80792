/// One RTP packet (RFC 3550), parsed from an interleaved frame or datagram.
public struct RTPPacket: Equatable, Sendable {
    public var payloadType: UInt8
    public var marker: Bool
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var payload: ArraySlice<UInt8>

    public enum ParseError: Error, Equatable {
        case tooShort, wrongVersion(UInt8), badPadding, badExtension
    }

    /// The payload stays a view into `bytes` (no copy of the packet).
    public init(parsing bytes: ArraySlice<UInt8>) throws {
        let base = bytes.startIndex
        let count = bytes.count
        func at(_ i: Int) -> UInt8 { bytes[base + i] }
        guard count >= 12 else { throw ParseError.tooShort }
        let version = at(0) >> 6
        guard version == 2 else { throw ParseError.wrongVersion(version) }
        let hasPadding = at(0) & 0x20 != 0
        let hasExtension = at(0) & 0x10 != 0
        let csrcCount = Int(at(0) & 0x0F)
        marker = at(1) & 0x80 != 0
        payloadType = at(1) & 0x7F
        sequenceNumber = UInt16(at(2)) << 8 | UInt16(at(3))
        timestamp = UInt32(at(4)) << 24 | UInt32(at(5)) << 16 | UInt32(at(6)) << 8 | UInt32(at(7))
        ssrc = UInt32(at(8)) << 24 | UInt32(at(9)) << 16 | UInt32(at(10)) << 8 | UInt32(at(11))
        var start = 12 + 4 * csrcCount
        guard start <= count else { throw ParseError.tooShort }
        if hasExtension {
            guard start + 4 <= count else { throw ParseError.badExtension }
            let words = Int(at(start + 2)) << 8 | Int(at(start + 3))
            start += 4 + 4 * words
            guard start <= count else { throw ParseError.badExtension }
        }
        var end = count
        if hasPadding {
            let padding = Int(at(count - 1))
            guard padding > 0, end - padding >= start else { throw ParseError.badPadding }
            end -= padding
        }
        payload = bytes[(base + start)..<(base + end)]
    }
}
