/// A record to append, already routed to its shard.
public struct NewRecord: Sendable {
    public var shard: Int
    public var partitionKey: String
    public var data: [UInt8]

    public init(shard: Int, partitionKey: String, data: [UInt8]) {
        self.shard = shard
        self.partitionKey = partitionKey
        self.data = data
    }
}
