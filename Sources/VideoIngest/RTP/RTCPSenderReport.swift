/// The NTP ↔ RTP time mapping of an RTCP sender report (RFC 3550 §6.4.1), found in a compound
/// RTCP packet. It turns a stream's RTP timestamps into the device's wall-clock time.
public struct RTCPSenderReport: Equatable, Sendable {
    public var ssrc: UInt32
    /// The sender's wall clock at the report, µs since 1970.
    public var wallClock: Int64
    public var rtpTimestamp: UInt32

    /// Seconds from 1900 (NTP) to 1970 (Unix).
    static let ntpToUnix: Int64 = 2_208_988_800

    /// The first sender report in a compound packet, or nil if there is none or it is malformed.
    public init?(compound bytes: [UInt8]) {
        var i = 0
        while i + 4 <= bytes.count {
            guard bytes[i] >> 6 == 2 else { return nil }
            let type = bytes[i + 1]
            let length = (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) + 1) * 4
            guard i + length <= bytes.count else { return nil }
            if type == 200, length >= 28 {
                func word(_ at: Int) -> UInt32 {
                    UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
                }
                ssrc = word(i + 4)
                let seconds = Int64(word(i + 8)) - Self.ntpToUnix
                let fraction = Int64(word(i + 12))
                wallClock = seconds * 1_000_000 + (fraction * 1_000_000) >> 32
                rtpTimestamp = word(i + 16)
                return
            }
            i += length
        }
        return nil
    }

    /// Wall-clock time of an RTP timestamp of the same stream (within ±half the 32-bit range).
    public func wallClock(ofRTP timestamp: UInt32, clockRate: Int) -> Int64 {
        let delta = Int64(Int32(bitPattern: timestamp &- rtpTimestamp))
        return wallClock + delta * 1_000_000 / Int64(max(clockRate, 1))
    }
}
