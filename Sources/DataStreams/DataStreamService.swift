import AWSProtocol
import Foundation
import Primitives

/// Kinesis Data Streams semantics over a `RecordLog`: streams, shards, routing, sequence
/// numbers, iterators, retention and limits. Requests and responses are the operation's members
/// as typed `AWSValue`s, so one service serves every wire encoding (JSON and CBOR).
public final class DataStreamService: @unchecked Sendable {
    public let log: any RecordLog
    /// The region and account in ARNs and messages.
    public let identity: AWSIdentity
    let clock: @Sendable () -> Int64
    let secret: [UInt8]
    /// Signalled after every append; the SSE endpoint waits on it.
    public let appends = AppendNotifier()
    /// Records put and read per stream, for the metrics.
    public let traffic = RecordTraffic()
    let throttle = ShardThrottle()
    private let trimLock = NSLock()
    private var lastTrim: [Int64: Int64] = [:]

    static let maxRecordsPerPut = 500
    static let maxPutRecordsBytes = 10 << 20
    static let maxGetRecords = 10_000
    static let maxGetBytes = 10 << 20

    /// - Parameter clock: milliseconds since the epoch (injectable for expiry and retention tests).
    public init(log: any RecordLog, identity: AWSIdentity = .local,
                clock: @escaping @Sendable () -> Int64 = WallClock.millis) throws {
        self.log = log
        self.identity = identity
        self.clock = clock
        secret = try log.iteratorSecret()
    }

    /// Runs one operation (`X-Amz-Target` without its prefix).
    public func handle(_ operation: String, _ arguments: RequestMembers) throws -> AWSValue {
        do {
            switch operation {
            case "CreateStream": return try createStream(arguments)
            case "DeleteStream": return try deleteStream(arguments)
            case "DescribeStream": return try describeStream(arguments)
            case "DescribeStreamSummary": return try describeStreamSummary(arguments)
            case "ListStreams": return try listStreams(arguments)
            case "ListShards": return try listShards(arguments)
            case "PutRecord": return try putRecord(arguments)
            case "PutRecords": return try putRecords(arguments)
            case "GetShardIterator": return try getShardIterator(arguments)
            case "GetRecords": return try getRecords(arguments)
            case "IncreaseStreamRetentionPeriod": return try changeRetention(arguments, increase: true)
            case "DecreaseStreamRetentionPeriod": return try changeRetention(arguments, increase: false)
            case "AddTagsToStream": return try addTags(arguments)
            case "RemoveTagsFromStream": return try removeTags(arguments)
            case "ListTagsForStream": return try listTags(arguments)
            case "TagResource": return try tagResource(arguments)
            case "UntagResource": return try untagResource(arguments)
            case "ListTagsForResource": return try listTagsForResource(arguments)
            case "DescribeLimits": return try describeLimits()
            case "UpdateShardCount", "SplitShard", "MergeShards", "UpdateStreamMode", "RegisterStreamConsumer",
                 "DescribeStreamConsumer", "ListStreamConsumers", "DeregisterStreamConsumer", "SubscribeToShard",
                 "StartStreamEncryption", "StopStreamEncryption", "EnableEnhancedMonitoring", "DisableEnhancedMonitoring",
                 "UpdateMaxRecordSize", "PutResourcePolicy",
                 "GetResourcePolicy", "DeleteResourcePolicy", "DescribeAccountSettings", "UpdateAccountSettings",
                 "UpdateStreamWarmThroughput":
                throw AWSError.notImplemented(operation)
            default:
                throw AWSError("UnknownOperationException", "Unknown operation \(operation)")
            }
        } catch let error as AWSError {
            throw error
        } catch {
            throw AWSError.internalFailure("\(error)")
        }
    }

    /// The stream named by `StreamName` and/or `StreamARN` (which must agree).
    func resolveStream(_ arguments: RequestMembers) throws -> DataStreamRecord {
        let name = try arguments.string("StreamName")
        var fromARN: String?
        if let arn = try arguments.string("StreamARN") {
            guard let parsed = ARN.dataStreamName(from: arn) else {
                throw AWSError.invalidArgument("StreamARN \(arn) is not a Kinesis stream ARN")
            }
            fromARN = parsed
        }
        if let name, let fromARN, name != fromARN {
            throw AWSError.invalidArgument("StreamName \(name) and StreamARN name \(fromARN) do not match")
        }
        guard let resolved = name ?? fromARN else {
            throw AWSError.invalidArgument("Either StreamName or StreamARN must be provided")
        }
        guard let stream = try log.stream(named: resolved) else {
            throw AWSError.notFound("Stream \(resolved) under account \(identity.account) not found.")
        }
        return stream
    }

    func shard(_ stream: DataStreamRecord, _ shardID: String) throws -> ShardRecord {
        guard let index = ShardID.parse(shardID), let shard = stream.shards.first(where: { $0.index == index }) else {
            throw AWSError.notFound("Shard \(shardID) in stream \(stream.name) under account \(identity.account) does not exist")
        }
        return shard
    }

    /// Arrival time before which records are past retention.
    func trimHorizon(_ stream: DataStreamRecord) -> Int64 {
        clock() - Int64(stream.retentionHours) * 3_600_000
    }

    /// Deletes expired records at most once a minute per stream (reads already hide them).
    func trimIfDue(_ stream: DataStreamRecord) {
        let now = clock()
        let due = trimLock.withLock { () -> Bool in
            if let last = lastTrim[stream.id], now - last < 60_000 { return false }
            lastTrim[stream.id] = now
            return true
        }
        if due { _ = try? log.trim(streamID: stream.id, arrivedBefore: trimHorizon(stream)) }
    }

    /// The stream for a follower (SSE), by name.
    public func stream(named name: String) throws -> DataStreamRecord {
        try resolveStream(RequestMembers(values: ["StreamName": .string(name)]))
    }

    func isThrottled(_ stream: DataStreamRecord) throws -> Bool {
        try throttle.isEnabled(stream.id) { try log.tags(streamID: stream.id) }
    }

    func throughputExceeded(_ stream: DataStreamRecord, _ shard: Int) -> AWSError {
        AWSError("ProvisionedThroughputExceededException",
                 "Rate exceeded for shard \(ShardID.format(shard)) in stream \(stream.name) under account \(identity.account).")
    }

    /// The stream's ARN, as responses show it.
    func arn(_ stream: DataStreamRecord) -> String {
        ARN.dataStream(stream.name, in: identity)
    }

    /// A Kinesis time (milliseconds since the epoch) as a response timestamp.
    static func timestamp(_ millis: Int64) -> AWSValue { .timestamp(millis * 1000) }

    /// Milliseconds as seconds, for messages.
    static func seconds(_ millis: Int64) -> Double { Double(millis) / 1000 }
}
