import AWSProtocol
import Foundation
import Primitives

/// The control-plane operations: create, describe, list, delete, retention, tags, limits.
extension DataStreamService {
    static func isValidName(_ name: String) -> Bool {
        ResourceName.isValid(name, maxLength: 128)
    }

    func createStream(_ a: RequestMembers) throws -> AWSValue {
        let name = try a.required("StreamName")
        guard Self.isValidName(name) else {
            throw AWSError.validation("1 validation error detected: Value '\(name)' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length 1-128")
        }
        let mode = try a.object("StreamModeDetails")?.string("StreamMode") ?? "PROVISIONED"
        guard mode == "PROVISIONED" || mode == "ON_DEMAND" else {
            throw AWSError.validation("StreamMode must be PROVISIONED or ON_DEMAND")
        }
        var shardCount = try a.int("ShardCount")
        if mode == "ON_DEMAND" {
            if shardCount != nil { throw AWSError.validation("ShardCount must not be given for an ON_DEMAND stream") }
            shardCount = 4
        }
        guard let count = shardCount else { throw AWSError.validation("ShardCount is required for a PROVISIONED stream") }
        guard (1...1000).contains(count) else { throw AWSError.invalidArgument("ShardCount must be between 1 and 1000") }
        let maxKiB = try a.int("MaxRecordSizeInKiB") ?? 1024
        guard (1024...10240).contains(maxKiB) else { throw AWSError.validation("MaxRecordSizeInKiB must be between 1024 and 10240") }
        let tags = try a.stringMap("Tags") ?? [:]
        guard tags.count <= 50 else { throw AWSError.invalidArgument("A stream can have at most 50 tags") }
        do {
            _ = try log.createStream(name: name, shardRanges: HashKey.initialRanges(count: count), onDemand: mode == "ON_DEMAND",
                                     retentionHours: 24, maxRecordSizeKiB: maxKiB, tags: tags, now: clock())
        } catch let error as AWSError where error.code == "ResourceInUseException" {
            throw AWSError.inUse("Stream \(name) under account \(identity.account) already exists.")
        }
        return [:]
    }

    func deleteStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        try log.deleteStream(id: stream.id)
        throttle.invalidate(stream.id)
        return [:]
    }

    func describeStreamSummary(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        var description = summary(stream)
        description["OpenShardCount"] = .int(stream.shards.count)
        description["ConsumerCount"] = 0
        description["EnhancedMonitoring"] = Self.noEnhancedMonitoring
        return ["StreamDescriptionSummary": .object(description)]
    }

    func describeStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let limit = min(try a.int("Limit") ?? 100, 100)
        guard limit >= 1 else { throw AWSError.validation("Limit must be at least 1") }
        var shards = stream.shards
        if let after = try a.string("ExclusiveStartShardId") {
            let index = ShardID.parse(after) ?? -1
            shards = shards.filter { $0.index > index }
        }
        let page = Array(shards.prefix(limit))
        var description = summary(stream)
        description["Shards"] = .array(page.map(shardDescription))
        description["HasMoreShards"] = .bool(shards.count > page.count)
        description["EnhancedMonitoring"] = Self.noEnhancedMonitoring
        return ["StreamDescription": .object(description)]
    }

    private static let noEnhancedMonitoring: AWSValue = [["ShardLevelMetrics": []]]

    private func summary(_ stream: DataStreamRecord) -> [String: AWSValue] {
        [
            "StreamName": .string(stream.name), "StreamARN": .string(arn(stream)), "StreamStatus": "ACTIVE",
            "StreamModeDetails": ["StreamMode": stream.onDemand ? "ON_DEMAND" : "PROVISIONED"],
            "RetentionPeriodHours": .int(stream.retentionHours),
            "StreamCreationTimestamp": Self.timestamp(stream.createdAt), "EncryptionType": "NONE",
            "MaxRecordSizeInKiB": .int(stream.maxRecordSizeKiB),
        ]
    }

    func shardDescription(_ shard: ShardRecord) -> AWSValue {
        [
            "ShardId": .string(shard.id),
            "HashKeyRange": ["StartingHashKey": .string(String(shard.range.lowerBound)),
                             "EndingHashKey": .string(String(shard.range.upperBound))],
            "SequenceNumberRange": ["StartingSequenceNumber": .string(SequenceNumber.format(shard: shard.index, counter: 0))],
        ]
    }

    func listStreams(_ a: RequestMembers) throws -> AWSValue {
        let limit = min(try a.int("Limit") ?? 100, 100)
        guard limit >= 1 else { throw AWSError.validation("Limit must be at least 1") }
        var after = try a.string("ExclusiveStartStreamName")
        if let token = try a.string("NextToken") {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw AWSError.invalidArgument("NextToken is not valid")
            }
            after = decoded
        }
        let all = try log.streams().filter { after == nil || $0.name > after! }
        let page = Array(all.prefix(limit))
        var response: [String: AWSValue] = [
            "StreamNames": .array(page.map { .string($0.name) }),
            "HasMoreStreams": .bool(all.count > page.count),
            "StreamSummaries": .array(page.map { s in
                ["StreamName": .string(s.name), "StreamARN": .string(arn(s)), "StreamStatus": "ACTIVE",
                 "StreamModeDetails": ["StreamMode": s.onDemand ? "ON_DEMAND" : "PROVISIONED"],
                 "StreamCreationTimestamp": Self.timestamp(s.createdAt)]
            }),
        ]
        if all.count > page.count, let last = page.last {
            response["NextToken"] = .string(Data(last.name.utf8).base64EncodedString())
        }
        return .object(response)
    }

    func listShards(_ a: RequestMembers) throws -> AWSValue {
        var stream: DataStreamRecord
        var afterIndex = -1
        let maxResults = try a.int("MaxResults") ?? 1000
        guard (1...10000).contains(maxResults) else { throw AWSError.invalidArgument("MaxResults must be between 1 and 10000") }
        if let token = try a.string("NextToken") {
            if try a.string("StreamName") != nil || a.string("StreamARN") != nil {
                throw AWSError.invalidArgument("NextToken and StreamName cannot be provided together.")
            }
            let parts = Data(base64Encoded: token).flatMap { String(data: $0, encoding: .utf8) }?.split(separator: "|") ?? []
            guard parts.count == 2, let index = Int(parts[1]) else { throw AWSError.invalidArgument("NextToken is not valid") }
            stream = try self.stream(named: String(parts[0]))
            afterIndex = index
        } else {
            stream = try resolveStream(a)
            if let start = try a.string("ExclusiveStartShardId") { afterIndex = ShardID.parse(start) ?? -1 }
            if let filter = try a.object("ShardFilter") {
                let type = try filter.required("Type")
                switch type {
                case "AFTER_SHARD_ID":
                    afterIndex = ShardID.parse(try filter.required("ShardId")) ?? -1
                case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP":
                    break // every shard is open and within retention: all are listed
                default:
                    throw AWSError.validation("ShardFilter Type \(type) is not valid")
                }
            }
        }
        let shards = stream.shards.filter { $0.index > afterIndex }
        let page = Array(shards.prefix(min(maxResults, 1000)))
        var response: [String: AWSValue] = ["Shards": .array(page.map(shardDescription))]
        if shards.count > page.count, let last = page.last {
            response["NextToken"] = .string(Data("\(stream.name)|\(last.index)".utf8).base64EncodedString())
        }
        return .object(response)
    }

    func changeRetention(_ a: RequestMembers, increase: Bool) throws -> AWSValue {
        let stream = try resolveStream(a)
        guard let hours = try a.int("RetentionPeriodHours") else { throw AWSError.validation("RetentionPeriodHours is required") }
        guard (24...8760).contains(hours) else {
            throw AWSError.invalidArgument("Minimum allowed retention period is 24 hours and maximum is 8760 hours.")
        }
        if increase && hours < stream.retentionHours {
            throw AWSError.invalidArgument("Requested retention period (\(hours) hours) for stream \(stream.name) can not be shorter than existing retention period (\(stream.retentionHours) hours). Use DecreaseRetentionPeriod API.")
        }
        if !increase && hours > stream.retentionHours {
            throw AWSError.invalidArgument("Requested retention period (\(hours) hours) for stream \(stream.name) can not be longer than existing retention period (\(stream.retentionHours) hours). Use IncreaseRetentionPeriod API.")
        }
        try log.setRetention(streamID: stream.id, hours: hours)
        return [:]
    }

    func addTags(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        guard let tags = try a.stringMap("Tags") else { throw AWSError.validation("Tags is required") }
        try log.updateTags(streamID: stream.id, set: tags, remove: [])
        throttle.invalidate(stream.id)
        return [:]
    }

    func removeTags(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        guard let keys = try a.stringArray("TagKeys") else { throw AWSError.validation("TagKeys must be a list of strings") }
        try log.updateTags(streamID: stream.id, set: [:], remove: keys)
        throttle.invalidate(stream.id)
        return [:]
    }

    func listTags(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let limit = try a.int("Limit") ?? 50
        guard (1...50).contains(limit) else { throw AWSError.invalidArgument("Limit must be between 1 and 50") }
        let start = try a.string("ExclusiveStartTagKey")
        let all = try log.tags(streamID: stream.id).sorted { $0.key < $1.key }.filter { start == nil || $0.key > start! }
        let page = all.prefix(limit)
        return ["Tags": .array(page.map { ["Key": .string($0.key), "Value": .string($0.value)] }),
                "HasMoreTags": .bool(all.count > page.count)]
    }

    /// TagResource and friends name the stream by ARN (the newer tagging API of every AWS service).
    func resourceStream(_ a: RequestMembers) throws -> DataStreamRecord {
        let arn = try a.required("ResourceARN")
        guard let name = ARN.dataStreamName(from: arn) else {
            throw AWSError.invalidArgument("ResourceARN \(arn) is not a Kinesis stream ARN")
        }
        return try resolveStream(RequestMembers(values: ["StreamName": .string(name)]))
    }

    func tagResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resourceStream(a)
        guard let tags = try a.stringMap("Tags") else { throw AWSError.validation("Tags is required") }
        try log.updateTags(streamID: stream.id, set: tags, remove: [])
        throttle.invalidate(stream.id)
        return [:]
    }

    func untagResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resourceStream(a)
        guard let keys = try a.stringArray("TagKeys") else { throw AWSError.validation("TagKeys must be a list of strings") }
        try log.updateTags(streamID: stream.id, set: [:], remove: keys)
        throttle.invalidate(stream.id)
        return [:]
    }

    func listTagsForResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resourceStream(a)
        let tags = try log.tags(streamID: stream.id).sorted { $0.key < $1.key }
        return ["Tags": .array(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })]
    }

    func describeLimits() throws -> AWSValue {
        let streams = try log.streams()
        return ["ShardLimit": 6000, "OpenShardCount": .int(streams.reduce(0) { $0 + $1.shards.count }),
                "OnDemandStreamCount": .int(streams.filter(\.onDemand).count), "OnDemandStreamCountLimit": 50]
    }
}
