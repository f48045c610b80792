import Foundation

/// The control-plane operations: create, describe, list, delete, retention, tags, limits.
extension DataStreamService {
    static func isValidName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count)
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E || c == 0x2D
            }
    }

    func createStream(_ a: KinesisArguments) throws -> [String: Any] {
        let name = try a.required("StreamName")
        guard Self.isValidName(name) else {
            throw KinesisError.validation("1 validation error detected: Value '\(name)' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length 1-128")
        }
        let mode = try a.object("StreamModeDetails")?.string("StreamMode") ?? "PROVISIONED"
        guard mode == "PROVISIONED" || mode == "ON_DEMAND" else {
            throw KinesisError.validation("StreamMode must be PROVISIONED or ON_DEMAND")
        }
        var shardCount = try a.int("ShardCount")
        if mode == "ON_DEMAND" {
            if shardCount != nil { throw KinesisError.validation("ShardCount must not be given for an ON_DEMAND stream") }
            shardCount = 4
        }
        guard let count = shardCount else { throw KinesisError.validation("ShardCount is required for a PROVISIONED stream") }
        guard (1...1000).contains(count) else { throw KinesisError.invalidArgument("ShardCount must be between 1 and 1000") }
        let maxKiB = try a.int("MaxRecordSizeInKiB") ?? 1024
        guard (1024...10240).contains(maxKiB) else { throw KinesisError.validation("MaxRecordSizeInKiB must be between 1024 and 10240") }
        let tags = try a.stringMap("Tags") ?? [:]
        guard tags.count <= 50 else { throw KinesisError.invalidArgument("A stream can have at most 50 tags") }
        _ = try log.createStream(name: name, shardRanges: HashKey.initialRanges(count: count), onDemand: mode == "ON_DEMAND",
                                 retentionHours: 24, maxRecordSizeKiB: maxKiB, tags: tags, now: clock())
        return [:]
    }

    func deleteStream(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        try log.deleteStream(id: stream.id)
        throttle.invalidate(stream.id)
        return [:]
    }

    func describeStreamSummary(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        return ["StreamDescriptionSummary": summary(stream).merging([
            "OpenShardCount": stream.shards.count, "ConsumerCount": 0,
            "EnhancedMonitoring": [["ShardLevelMetrics": [String]()]],
        ]) { a, _ in a }]
    }

    func describeStream(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        let limit = min(try a.int("Limit") ?? 100, 100)
        guard limit >= 1 else { throw KinesisError.validation("Limit must be at least 1") }
        var shards = stream.shards
        if let after = try a.string("ExclusiveStartShardId") {
            let index = ShardID.parse(after) ?? -1
            shards = shards.filter { $0.index > index }
        }
        let page = Array(shards.prefix(limit))
        var description = summary(stream)
        description["Shards"] = try page.map { try shardDescription(stream, $0) }
        description["HasMoreShards"] = shards.count > page.count
        description["EnhancedMonitoring"] = [["ShardLevelMetrics": [String]()]]
        return ["StreamDescription": description]
    }

    private func summary(_ stream: DataStreamRecord) -> [String: Any] {
        [
            "StreamName": stream.name, "StreamARN": KinesisNames.streamARN(stream.name), "StreamStatus": "ACTIVE",
            "StreamModeDetails": ["StreamMode": stream.onDemand ? "ON_DEMAND" : "PROVISIONED"],
            "RetentionPeriodHours": stream.retentionHours,
            "StreamCreationTimestamp": Self.seconds(stream.createdAt), "EncryptionType": "NONE",
            "MaxRecordSizeInKiB": stream.maxRecordSizeKiB,
        ]
    }

    func shardDescription(_ stream: DataStreamRecord, _ shard: ShardRecord) throws -> [String: Any] {
        [
            "ShardId": shard.id,
            "HashKeyRange": ["StartingHashKey": String(shard.range.lowerBound), "EndingHashKey": String(shard.range.upperBound)],
            "SequenceNumberRange": ["StartingSequenceNumber": SequenceNumber.format(shard: shard.index, counter: 0)],
        ]
    }

    func listStreams(_ a: KinesisArguments) throws -> [String: Any] {
        let limit = min(try a.int("Limit") ?? 100, 100)
        guard limit >= 1 else { throw KinesisError.validation("Limit must be at least 1") }
        var after = try a.string("ExclusiveStartStreamName")
        if let token = try a.string("NextToken") {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw KinesisError.invalidArgument("NextToken is not valid")
            }
            after = decoded
        }
        let all = try log.streams().filter { after == nil || $0.name > after! }
        let page = Array(all.prefix(limit))
        var response: [String: Any] = [
            "StreamNames": page.map(\.name),
            "HasMoreStreams": all.count > page.count,
            "StreamSummaries": page.map { s -> [String: Any] in
                ["StreamName": s.name, "StreamARN": KinesisNames.streamARN(s.name), "StreamStatus": "ACTIVE",
                 "StreamModeDetails": ["StreamMode": s.onDemand ? "ON_DEMAND" : "PROVISIONED"],
                 "StreamCreationTimestamp": Self.seconds(s.createdAt)]
            },
        ]
        if all.count > page.count, let last = page.last {
            response["NextToken"] = Data(last.name.utf8).base64EncodedString()
        }
        return response
    }

    func listShards(_ a: KinesisArguments) throws -> [String: Any] {
        var stream: DataStreamRecord
        var afterIndex = -1
        let maxResults = try a.int("MaxResults") ?? 1000
        guard (1...10000).contains(maxResults) else { throw KinesisError.invalidArgument("MaxResults must be between 1 and 10000") }
        if let token = try a.string("NextToken") {
            if try a.string("StreamName") != nil || a.string("StreamARN") != nil {
                throw KinesisError.invalidArgument("NextToken and StreamName cannot be provided together.")
            }
            let parts = Data(base64Encoded: token).flatMap { String(data: $0, encoding: .utf8) }?.split(separator: "|") ?? []
            guard parts.count == 2, let index = Int(parts[1]) else { throw KinesisError.invalidArgument("NextToken is not valid") }
            stream = try resolveStream(KinesisArguments(["StreamName": String(parts[0])]))
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
                    throw KinesisError.validation("ShardFilter Type \(type) is not valid")
                }
            }
        }
        let shards = stream.shards.filter { $0.index > afterIndex }
        let page = Array(shards.prefix(min(maxResults, 1000)))
        var response: [String: Any] = ["Shards": try page.map { try shardDescription(stream, $0) }]
        if shards.count > page.count, let last = page.last {
            response["NextToken"] = Data("\(stream.name)|\(last.index)".utf8).base64EncodedString()
        }
        return response
    }

    func changeRetention(_ a: KinesisArguments, increase: Bool) throws -> [String: Any] {
        let stream = try resolveStream(a)
        guard let hours = try a.int("RetentionPeriodHours") else { throw KinesisError.validation("RetentionPeriodHours is required") }
        guard (24...8760).contains(hours) else {
            throw KinesisError.invalidArgument("Minimum allowed retention period is 24 hours and maximum is 8760 hours.")
        }
        if increase && hours < stream.retentionHours {
            throw KinesisError.invalidArgument("Requested retention period (\(hours) hours) for stream \(stream.name) can not be shorter than existing retention period (\(stream.retentionHours) hours). Use DecreaseRetentionPeriod API.")
        }
        if !increase && hours > stream.retentionHours {
            throw KinesisError.invalidArgument("Requested retention period (\(hours) hours) for stream \(stream.name) can not be longer than existing retention period (\(stream.retentionHours) hours). Use IncreaseRetentionPeriod API.")
        }
        try log.setRetention(streamID: stream.id, hours: hours)
        return [:]
    }

    func addTags(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        guard let tags = try a.stringMap("Tags") else { throw KinesisError.validation("Tags is required") }
        try log.updateTags(streamID: stream.id, set: tags, remove: [])
        throttle.invalidate(stream.id)
        return [:]
    }

    func removeTags(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        guard let keys = try a.stringArray("TagKeys") else { throw KinesisError.validation("TagKeys must be a list of strings") }
        try log.updateTags(streamID: stream.id, set: [:], remove: keys)
        throttle.invalidate(stream.id)
        return [:]
    }

    func listTags(_ a: KinesisArguments) throws -> [String: Any] {
        let stream = try resolveStream(a)
        let limit = try a.int("Limit") ?? 50
        guard (1...50).contains(limit) else { throw KinesisError.invalidArgument("Limit must be between 1 and 50") }
        let start = try a.string("ExclusiveStartTagKey")
        let all = try log.tags(streamID: stream.id).sorted { $0.key < $1.key }.filter { start == nil || $0.key > start! }
        let page = all.prefix(limit)
        return ["Tags": page.map { ["Key": $0.key, "Value": $0.value] }, "HasMoreTags": all.count > page.count]
    }

    func describeLimits() throws -> [String: Any] {
        let streams = try log.streams()
        return ["ShardLimit": 6000, "OpenShardCount": streams.reduce(0) { $0 + $1.shards.count },
                "OnDemandStreamCount": streams.filter(\.onDemand).count, "OnDemandStreamCountLimit": 50]
    }
}
