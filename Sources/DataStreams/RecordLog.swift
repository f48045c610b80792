/// Where data-stream records live. The embedded implementation is SQLite (`SQLiteRecordLog`);
/// a shared PostgreSQL log for several videod nodes is planned behind the same seam.
public protocol RecordLog: Sendable {
    /// Creates a stream; throws `ResourceInUseException` if the name is taken.
    func createStream(name: String, shardRanges: [ClosedRange<UInt128>], onDemand: Bool, retentionHours: Int,
                      maxRecordSizeKiB: Int, tags: [String: String], now: Int64) throws -> DataStreamRecord
    func stream(named name: String) throws -> DataStreamRecord?
    func stream(id: Int64) throws -> DataStreamRecord?
    /// All streams, sorted by name.
    func streams() throws -> [DataStreamRecord]
    func deleteStream(id: Int64) throws
    func setRetention(streamID: Int64, hours: Int) throws

    /// Appends records in one transaction; returns each record's per-shard counter, in order.
    func append(streamID: Int64, records: [NewRecord], now: Int64) throws -> [Int64]
    /// Records of a shard from `counter` on, arrived at or after `notBefore`, up to `limit` records
    /// and about `maxBytes` of data (always at least one record if any).
    func read(streamID: Int64, shard: Int, from counter: Int64, notBefore: Int64, limit: Int, maxBytes: Int) throws -> [StoredRecord]
    /// The newest record of a shard: its counter and arrival.
    func newest(streamID: Int64, shard: Int) throws -> (counter: Int64, arrival: Int64)?
    /// The first counter of a shard whose arrival is at or after `arrival`.
    func firstCounter(streamID: Int64, shard: Int, arrivedAtOrAfter arrival: Int64) throws -> Int64?
    /// Deletes records that arrived before `arrival`; returns how many.
    func trim(streamID: Int64, arrivedBefore arrival: Int64) throws -> Int

    func tags(streamID: Int64) throws -> [String: String]
    func updateTags(streamID: Int64, set: [String: String], remove: [String]) throws

    /// A per-installation secret for signing shard iterators.
    func iteratorSecret() throws -> [UInt8]
}
