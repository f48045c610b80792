import AWSProtocol
import Foundation

/// The data-plane operations: PutRecord(s), GetShardIterator, GetRecords.
extension DataStreamService {
    /// Validates a record and routes it to the open shard whose range holds its hash key.
    func route(_ stream: DataStreamRecord, data: [UInt8], partitionKey: String, explicitHashKey: String?) throws -> NewRecord {
        var shards: [String: Int] = [:]
        return try route(stream, data: data, partitionKey: partitionKey, explicitHashKey: explicitHashKey, knownShards: &shards)
    }

    /// `knownShards` remembers the shard of each partition key routed by its MD5 (a batch
    /// usually repeats a few keys: a camera's name, a device id).
    func route(_ stream: DataStreamRecord, data: [UInt8], partitionKey: String, explicitHashKey: String?,
               knownShards: inout [String: Int]) throws -> NewRecord {
        // Counting characters is slow; a key of at most 256 UTF-8 bytes has at most 256 of them.
        guard !partitionKey.isEmpty, partitionKey.utf8.count <= 256 || partitionKey.count <= 256 else {
            throw AWSError.validation("1 validation error detected: Value at 'partitionKey' failed to satisfy constraint: Member must have length between 1 and 256")
        }
        let limit = stream.maxRecordSizeKiB * 1024
        guard data.count + partitionKey.utf8.count <= limit else {
            throw AWSError.validation("1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to \(limit) (data plus partition key)")
        }
        if explicitHashKey == nil, let shard = knownShards[partitionKey] {
            return NewRecord(shard: shard, partitionKey: partitionKey, data: data)
        }
        let key: UInt128
        if let explicit = explicitHashKey {
            guard let parsed = HashKey.parse(explicit) else {
                throw AWSError.invalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was \(explicit)")
            }
            key = parsed
        } else {
            key = HashKey.of(partitionKey: partitionKey)
        }
        guard let shard = stream.shards.first(where: { $0.range.contains(key) }) else {
            throw AWSError.internalFailure("no shard covers hash key \(key)")
        }
        if explicitHashKey == nil { knownShards[partitionKey] = shard.index }
        return NewRecord(shard: shard.index, partitionKey: partitionKey, data: data)
    }

    func putRecord(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        guard let data = try a.blob("Data") else { throw AWSError.validation("Data is required") }
        let record = try route(stream, data: data, partitionKey: try a.required("PartitionKey"),
                               explicitHashKey: try a.string("ExplicitHashKey"))
        if let ordering = try a.string("SequenceNumberForOrdering"), SequenceNumber.parse(ordering) == nil {
            throw AWSError.invalidArgument("SequenceNumberForOrdering \(ordering) is not a valid sequence number")
        }
        if try isThrottled(stream),
           !throttle.admitWrite(stream: stream.id, shard: record.shard, size: record.data.count + record.partitionKey.utf8.count, now: clock()) {
            throw throughputExceeded(stream, record.shard)
        }
        // Counters only grow within a shard, so every new number is larger than any earlier one,
        // which is what SequenceNumberForOrdering asks for.
        let counters = try log.append(streamID: stream.id, records: [record], now: clock())
        appends.notify(stream.id)
        traffic.put(1, stream: stream.name)
        trimIfDue(stream)
        return ["ShardId": .string(ShardID.format(record.shard)),
                "SequenceNumber": .string(SequenceNumber.format(shard: record.shard, counter: counters[0])),
                "EncryptionType": "NONE"]
    }

    func putRecords(_ a: RequestMembers) throws -> AWSValue {
        guard let entries = try a.array("Records") else { throw AWSError.validation("Records is required") }
        let records = try entries.map { entry -> PutRecordsInput.Entry in
            guard case .object(let fields) = entry else { throw AWSError.validation("Each record must be an object") }
            let e = RequestMembers(values: fields)
            guard let data = try e.blob("Data") else { throw AWSError.validation("Each record needs Data") }
            return .init(data: data, partitionKey: try e.required("PartitionKey"), explicitHashKey: try e.string("ExplicitHashKey"))
        }
        let output = try storeRecords(PutRecordsInput(stream: a, records: records))
        return ["FailedRecordCount": .int(output.failedRecordCount), "EncryptionType": "NONE",
                "Records": .array(output.records.map { entry in
                    switch entry {
                    case let .stored(shardID, sequenceNumber): ["ShardId": .string(shardID), "SequenceNumber": .string(sequenceNumber)]
                    case let .failed(code, message): ["ErrorCode": .string(code), "ErrorMessage": .string(message)]
                    }
                })]
    }

    /// PutRecords for a request already decoded into typed values (the JSON fast path).
    public func putRecords(_ input: PutRecordsInput) throws -> PutRecordsOutput {
        do {
            return try storeRecords(input)
        } catch let error as AWSError {
            throw error
        } catch {
            throw AWSError.internalFailure("\(error)")
        }
    }

    private func storeRecords(_ input: PutRecordsInput) throws -> PutRecordsOutput {
        let stream = try resolveStream(input.stream)
        guard !input.records.isEmpty else {
            throw AWSError.validation("1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        guard input.records.count <= Self.maxRecordsPerPut else {
            throw AWSError.validation("1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500")
        }
        var records: [NewRecord] = []
        records.reserveCapacity(input.records.count)
        var total = 0
        var knownShards: [String: Int] = [:]
        for entry in input.records {
            let record = try route(stream, data: entry.data, partitionKey: entry.partitionKey, explicitHashKey: entry.explicitHashKey,
                                   knownShards: &knownShards)
            total += entry.data.count + record.partitionKey.utf8.count
            records.append(record)
        }
        guard total <= Self.maxPutRecordsBytes else {
            throw AWSError.invalidArgument("Records size exceeds 10 MB limit")
        }
        // Throttled entries (only on streams that opted in) fail one by one, as KDS reports them;
        // the rest are stored in one transaction, so a stored record is never reported as failed.
        let throttled = try isThrottled(stream)
        let now = clock()
        let admitted = records.map { record in
            !throttled || throttle.admitWrite(stream: stream.id, shard: record.shard,
                                              size: record.data.count + record.partitionKey.utf8.count, now: now)
        }
        let stored = throttled ? zip(records, admitted).filter(\.1).map(\.0) : records
        let counters = stored.isEmpty ? [] : try log.append(streamID: stream.id, records: stored, now: now)
        if !stored.isEmpty { appends.notify(stream.id) }
        traffic.put(stored.count, stream: stream.name)
        trimIfDue(stream)
        var next = counters.makeIterator()
        var results: [PutRecordsOutput.Entry] = []
        results.reserveCapacity(records.count)
        for (record, ok) in zip(records, admitted) {
            if ok, let counter = next.next() {
                results.append(.stored(shardID: ShardID.format(record.shard),
                                       sequenceNumber: SequenceNumber.format(shard: record.shard, counter: counter)))
            } else {
                let error = throughputExceeded(stream, record.shard)
                results.append(.failed(code: error.code, message: error.message))
            }
        }
        return PutRecordsOutput(failedRecordCount: records.count - stored.count, records: results)
    }

    func getShardIterator(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let shard = try shard(stream, try a.required("ShardId"))
        let type = try a.required("ShardIteratorType")
        func sequence() throws -> Int64 {
            guard let text = try a.string("StartingSequenceNumber") else {
                throw AWSError.invalidArgument("StartingSequenceNumber is required for \(type)")
            }
            guard let parsed = SequenceNumber.parse(text), parsed.shard == shard.index else {
                throw AWSError.invalidArgument("StartingSequenceNumber \(text) used in GetShardIterator on shard \(shard.id) in stream \(stream.name) under account \(identity.account) is invalid.")
            }
            return parsed.counter
        }
        let next: Int64
        switch type {
        case "AT_SEQUENCE_NUMBER": next = try sequence()
        case "AFTER_SEQUENCE_NUMBER": next = try sequence() + 1
        case "TRIM_HORIZON": next = 0
        case "LATEST": next = (try log.newest(streamID: stream.id, shard: shard.index)?.counter ?? 0) + 1
        case "AT_TIMESTAMP":
            guard let at = try a.timestampMillis("Timestamp") else {
                throw AWSError.invalidArgument("Timestamp is required for AT_TIMESTAMP")
            }
            guard at <= clock() + 1000 else {
                throw AWSError.invalidArgument("The timestamp \(Self.seconds(at)) is in the future")
            }
            next = try log.firstCounter(streamID: stream.id, shard: shard.index, arrivedAtOrAfter: at)
                ?? (try log.newest(streamID: stream.id, shard: shard.index)?.counter ?? 0) + 1
        default:
            throw AWSError.validation("1 validation error detected: Value '\(type)' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]")
        }
        let iterator = ShardIterator(streamID: stream.id, streamCreatedAt: stream.createdAt, shard: shard.index,
                                     nextCounter: next, issuedAt: clock())
        return ["ShardIterator": .string(iterator.encode(secret: secret))]
    }

    func getRecords(_ a: RequestMembers) throws -> AWSValue {
        let text = try a.required("ShardIterator")
        let limit = try a.int("Limit") ?? Self.maxGetRecords
        guard (1...Self.maxGetRecords).contains(limit) else {
            throw AWSError.invalidArgument("Limit must be between 1 and \(Self.maxGetRecords), was \(limit)")
        }
        guard let iterator = ShardIterator.decode(text, secret: secret) else {
            throw AWSError.invalidArgument("Invalid ShardIterator.")
        }
        let now = clock()
        guard now - iterator.issuedAt <= ShardIterator.lifetimeMillis else {
            throw AWSError("ExpiredIteratorException", "Iterator expired. The iterator was created at time \(Self.seconds(iterator.issuedAt)) while right now it is \(Self.seconds(now)) which is further in the future than the tolerated delay of 300000 milliseconds.")
        }
        guard let stream = try log.stream(id: iterator.streamID),
              stream.createdAt == iterator.streamCreatedAt else {
            throw AWSError.notFound("The stream of this shard iterator no longer exists.")
        }
        if try isThrottled(stream), !throttle.admitRead(stream: stream.id, shard: iterator.shard, now: now) {
            throw throughputExceeded(stream, iterator.shard)
        }
        let records = try log.read(streamID: stream.id, shard: iterator.shard, from: iterator.nextCounter,
                                   notBefore: trimHorizon(stream), limit: limit, maxBytes: Self.maxGetBytes)
        traffic.read(records.count, stream: stream.name)
        var next = iterator
        next.issuedAt = now
        if let last = records.last { next.nextCounter = last.sequence + 1 }
        let newest = try log.newest(streamID: stream.id, shard: iterator.shard)
        var behind: Int64 = 0
        if let newest, let last = records.last, newest.counter > last.sequence {
            behind = max(0, newest.arrival - last.arrival)
        }
        return [
            "Records": .array(records.map { r in
                ["SequenceNumber": .string(SequenceNumber.format(shard: r.shard, counter: r.sequence)),
                 "ApproximateArrivalTimestamp": Self.timestamp(r.arrival), "Data": .blob(r.data),
                 "PartitionKey": .string(r.partitionKey), "EncryptionType": "NONE"]
            }),
            "NextShardIterator": .string(next.encode(secret: secret)),
            "MillisBehindLatest": .int(Int(behind)),
        ]
    }
}
