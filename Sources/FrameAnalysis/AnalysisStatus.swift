/// How a stream's analysis is doing, as `GET /streams/{name}` shows it.
public struct AnalysisStatus: Sendable, Equatable, Codable {
    /// What the decoder leaves out to keep up.
    public enum Mode: String, Sendable, Codable {
        case full
        case skipNonReference = "skip-non-reference"
        case keyFramesOnly = "key-frames-only"
    }

    public var running = true
    public var mode = Mode.full
    public var framesDecoded = 0
    /// Frames the motion detector looked at.
    public var framesAnalysed = 0
    /// Packets refused because the queue was full (dropped until the next key frame).
    public var packetsDropped = 0
    /// Packets handed to the decoder while it was skipping frames.
    public var packetsDecodedReduced = 0
    /// Pictures the decode gate left undecoded (quiet GOPs), and what it is doing: "learning",
    /// "gating", "decoding-all" (with the reason) or "off".
    public var picturesSkipped = 0
    public var decodeGate = "learning"
    public var decodeGateReason: String?
    /// The share of the stream's pictures decoded (1 when the gate skips nothing).
    public var decodedShare = 1.0
    public var decodeErrors = 0
    public var eventsPublished = 0
    public var publishErrors = 0
    /// How far analysis is behind ingest: seconds from the latest processed packet's arrival.
    public var lagSeconds = 0.0
    public var queuedPackets = 0
    public var lastError: String?
}
