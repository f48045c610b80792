import AWSProtocol
/// A typed API for producers inside videod (the frame analyser's events): the same semantics as
/// PutRecord and the same notifications for SSE followers, without a wire encoding.
extension DataStreamService {
    /// Creates a provisioned stream with `shardCount` shards unless one with this name exists.
    public func ensureStream(named name: String, shardCount: Int = 1) throws {
        if try log.stream(named: name) != nil { return }
        do {
            _ = try log.createStream(name: name, shardRanges: HashKey.initialRanges(count: shardCount), onDemand: false,
                                     retentionHours: 24, maxRecordSizeKiB: 1024, tags: [:], now: clock())
        } catch let error as AWSError where error.code == "ResourceInUseException" {
            // Created by a concurrent caller: fine.
        }
    }

    /// Appends one record routed by its partition key; returns its sequence number.
    @discardableResult
    public func put(streamName: String, partitionKey: String, data: [UInt8]) throws -> String {
        guard let stream = try log.stream(named: streamName) else {
            throw AWSError.notFound("Stream \(streamName) under account \(identity.account) not found.")
        }
        let record = try route(stream, data: data, partitionKey: partitionKey, explicitHashKey: nil)
        let counters = try log.append(streamID: stream.id, records: [record], now: clock())
        appends.notify(stream.id)
        trimIfDue(stream)
        return SequenceNumber.format(shard: record.shard, counter: counters[0])
    }

    /// A page of the retained records with this partition key, in the order they were put: they
    /// all sit in the one shard the key routes to. Reads at most `scanLimit` records of that shard
    /// from `position` (0: the oldest); `next` is where the following page starts, nil at the end.
    public func records(streamName: String, partitionKey: String, from position: Int64, scanLimit: Int) throws
        -> (records: [StoredRecord], next: Int64?) {
        guard let stream = try log.stream(named: streamName) else {
            throw AWSError.notFound("Stream \(streamName) under account \(identity.account) not found.")
        }
        let shard = try route(stream, data: [], partitionKey: partitionKey, explicitHashKey: nil).shard
        let batch = try log.read(streamID: stream.id, shard: shard, from: max(position, 0), notBefore: trimHorizon(stream),
                                 limit: scanLimit, maxBytes: 8 << 20)
        guard let last = batch.last else { return ([], nil) }
        return (batch.filter { $0.partitionKey == partitionKey }, last.sequence + 1)
    }
}
