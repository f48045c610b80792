/// Extends 32-bit RTP timestamps (which wrap every ~13 h at 90 kHz) into a monotonic 64-bit
/// timeline, tolerating reordering of up to half the 32-bit range.
public struct RTPTimestampUnwrapper: Sendable {
    private var highest: Int64?

    public init() {}

    public mutating func unwrap(_ timestamp: UInt32) -> Int64 {
        guard let highest else {
            self.highest = Int64(timestamp)
            return Int64(timestamp)
        }
        let delta = Int64(Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: highest)))
        let value = highest + delta
        if delta > 0 { self.highest = value }
        return value
    }
}
