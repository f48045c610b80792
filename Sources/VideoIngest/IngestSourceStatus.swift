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
