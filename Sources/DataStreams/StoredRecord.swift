/// A record as stored and returned by GetRecords.
public struct StoredRecord: Sendable, Equatable {
    public var shard: Int
    public var sequence: Int64
    /// Milliseconds since the epoch.
    public var arrival: Int64
    public var partitionKey: String
    public var data: [UInt8]
}
