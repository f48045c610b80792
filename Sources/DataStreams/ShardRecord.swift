/// One shard: its index (shown as `shardId-000000000007`) and inclusive hash-key range.
public struct ShardRecord: Sendable, Equatable {
    public var index: Int
    public var range: ClosedRange<UInt128>

    public var id: String { ShardID.format(index) }
}
