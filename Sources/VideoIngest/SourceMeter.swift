import Foundation

/// Live counters of one session, updated by its front end and read by the API.
final class SourceMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var lost = 0
    private var clockKind = "arrival"
    private var sample: (time: Int64, bytes: Int64)
    private var rate: Double?

    init(start: Int64, producerClock: String) {
        sample = (start, 0)
        clockKind = producerClock
    }

    func setLost(_ count: Int) { lock.withLock { lost = count } }
    func setProducerClock(_ kind: String) { lock.withLock { clockKind = kind } }

    /// Bit rate from samples at least two seconds apart; the session average before that.
    func status(now: Int64, bytes: Int64, started: Int64) -> (bitrate: Double, lost: Int, clock: String) {
        lock.withLock {
            let elapsed = now - sample.time
            if elapsed >= 2_000_000 {
                rate = Double(bytes - sample.bytes) * 8 / (Double(elapsed) / 1_000_000)
                sample = (now, bytes)
            }
            let average = Double(bytes) * 8 / max(Double(now - started) / 1_000_000, 0.001)
            return (rate ?? average, lost, clockKind)
        }
    }
}
