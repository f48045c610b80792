import Foundation

/// Where a live session's media comes from, as `GET /streams/{name}` shows it.
public struct IngestSourceStatus: Sendable, Encodable, Equatable {
    /// "http", "rtsp" (pushed), "rtsp-pull", "tcp".
    public var `protocol`: String
    public var remoteAddress: String?
    /// For pulls: the camera URL without its credentials.
    public var url: String?
    public var startedAt: String
    public var bytesReceived: Int64
    /// Bits per second over the last few seconds (over the session until then).
    public var bitrate: Double
    /// RTP packets or access units lost or discarded as malformed (RTSP), 0 for byte streams.
    public var packetsLost: Int
    /// How producer timestamps are set: "producer-header", "rtcp-sender-report" or "arrival".
    public var producerClock: String
}

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

/// `rtsp://user:pass@camera/stream` → `rtsp://camera/stream`: credentials never leave the server.
public enum URLRedaction {
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
