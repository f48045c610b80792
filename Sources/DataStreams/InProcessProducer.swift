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

    /// The retained records of a stream with this partition key (all when nil), oldest arrival first.
    public func records(streamName: String, partitionKey: String?) throws -> [StoredRecord] {
        guard let stream = try log.stream(named: streamName) else {
            throw AWSError.notFound("Stream \(streamName) under account \(identity.account) not found.")
        }
        let notBefore = clock() - Int64(stream.retentionHours) * 3_600_000
        var found: [StoredRecord] = []
        for shard in stream.shards {
            var next: Int64 = 0
            while true {
                let batch = try log.read(streamID: stream.id, shard: shard.index, from: next, notBefore: notBefore,
                                         limit: 1000, maxBytes: 8 << 20)
                guard let last = batch.last else { break }
                found += batch.filter { partitionKey == nil || $0.partitionKey == partitionKey }
                next = last.sequence + 1
            }
        }
        return found.sorted { ($0.arrival, $0.shard, $0.sequence) < ($1.arrival, $1.shard, $1.sequence) }
    }
}
