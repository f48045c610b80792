/// A data stream as the log stores it.
public struct DataStreamRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// Milliseconds since the epoch.
    public var createdAt: Int64
    public var onDemand: Bool
    public var retentionHours: Int
    public var maxRecordSizeKiB: Int
    public var shards: [ShardRecord]
}
