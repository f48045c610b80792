/// How a pulled camera is doing, as `GET /streams/{name}` shows it (never with credentials).
public struct PullStatus: Sendable, Encodable, Equatable {
    /// "connecting", "receiving", "reconnecting", "stopped".
    public var state: String
    public var url: String
    public var reconnects: Int
    public var lastError: String?
    public var nextAttemptInSeconds: Double?
}
