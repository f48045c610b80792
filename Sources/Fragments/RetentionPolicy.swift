/// How long streams keep their fragments, by server (arrival) time, as KVS counts retention.
public struct RetentionPolicy: Sendable {
    /// What a stream with retention 0 still keeps: KVS keeps a short live buffer for GetMedia.
    public var liveBuffer: Int64

    public init(liveBuffer: Int64 = 300_000_000) {
        self.liveBuffer = liveBuffer
    }

    /// The server time before which a stream's fragments are past retention; nil keeps everything.
    public func cutoff(retentionHours: Int?, now: Int64) -> Int64? {
        guard let hours = retentionHours else { return nil }
        return now - (hours == 0 ? liveBuffer : Int64(hours) * 3_600_000_000)
    }
}
