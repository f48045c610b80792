import AWSProtocol
import Foundation
import Fragments

/// The control plane: create, describe, list, update, retention, delete.
extension VideoStreamService {
    /// KVS's longest retention (10 years); a stream that keeps everything reports it.
    static let maxRetentionHours = 87_600

    func createStream(_ a: RequestMembers) throws -> AWSValue {
        let name = try a.required("StreamName")
        guard StreamName.isValid(name) else {
            throw VideoStreamError.invalidArgument("StreamName must be 1-256 characters of [a-zA-Z0-9_.-].")
        }
        var attributes = StreamAttributes(retentionHours: 0)
        attributes.deviceName = try Self.checked(a.string("DeviceName"), "DeviceName", length: 1...128)
        attributes.mediaType = try Self.mediaType(a.string("MediaType"))
        attributes.kmsKeyID = try Self.checked(a.string("KmsKeyId"), "KmsKeyId", length: 1...2048)
        if let hours = try a.int("DataRetentionInHours") {
            guard (0...Self.maxRetentionHours).contains(hours) else {
                throw VideoStreamError.invalidArgument("DataRetentionInHours must be 0 to \(Self.maxRetentionHours).")
            }
            attributes.retentionHours = hours
        }
        if let storage = try a.object("StreamStorageConfiguration") {
            attributes.storageTier = try Self.storageTier(storage.required("DefaultStorageTier"))
        }
        let tags = try Self.tags(a.stringMap("Tags") ?? [:])
        let stream = try store.createStream(named: name, now: clock(), attributes: attributes, tags: tags)
        return ["StreamARN": .string(arn(stream))]
    }

    func describeStream(_ a: RequestMembers) throws -> AWSValue {
        ["StreamInfo": streamInfo(try resolveStream(a))]
    }

    func streamInfo(_ stream: StreamRecord) -> AWSValue {
        var info: [String: AWSValue] = [
            "StreamName": .string(stream.name), "StreamARN": .string(arn(stream)),
            "KmsKeyId": .string(stream.attributes.kmsKeyID ?? "aws/kinesisvideo"),
            "Version": .string(stream.attributes.version), "Status": "ACTIVE", "CreationTime": .timestamp(stream.createdAt),
            "DataRetentionInHours": .int(stream.attributes.retentionHours ?? Self.maxRetentionHours),
        ]
        if let device = stream.attributes.deviceName { info["DeviceName"] = .string(device) }
        if let mediaType = stream.attributes.mediaType { info["MediaType"] = .string(mediaType) }
        return .object(info)
    }

    func listStreams(_ a: RequestMembers) throws -> AWSValue {
        let limit = try a.int("MaxResults") ?? 10_000
        guard (1...10_000).contains(limit) else { throw VideoStreamError.invalidArgument("MaxResults must be 1 to 10000.") }
        var after: String?
        if let token = try a.string("NextToken") {
            guard let name = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }), StreamName.isValid(name) else {
                throw VideoStreamError.invalidArgument("NextToken is not a token from ListStreams.")
            }
            after = name
        }
        var prefix: String?
        if let condition = try a.object("StreamNameCondition") {
            let comparison = try condition.string("ComparisonOperator") ?? "BEGINS_WITH"
            guard comparison == "BEGINS_WITH" else {
                throw VideoStreamError.invalidArgument("ComparisonOperator must be BEGINS_WITH.")
            }
            prefix = try Self.checked(condition.string("ComparisonValue"), "ComparisonValue", length: 1...256)
        }
        let page = try store.streams(after: after, prefix: prefix, limit: limit + 1)
        let shown = page.prefix(limit)
        var response: [String: AWSValue] = ["StreamInfoList": .array(shown.map(streamInfo))]
        if page.count > limit, let last = shown.last {
            response["NextToken"] = .string(Data(last.name.utf8).base64EncodedString())
        }
        return .object(response)
    }

    func updateStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let version = try a.required("CurrentVersion")
        let device = try Self.checked(a.string("DeviceName"), "DeviceName", length: 1...128)
        let mediaType = try Self.mediaType(a.string("MediaType"))
        try store.updateAttributes(streamID: stream.id, expectedVersion: version) { attributes in
            if let device { attributes.deviceName = device }
            if let mediaType { attributes.mediaType = mediaType }
        }
        return [:]
    }

    func updateDataRetention(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let version = try a.required("CurrentVersion")
        let operation = try a.required("Operation")
        guard let change = try a.int("DataRetentionChangeInHours"), change >= 1 else {
            throw VideoStreamError.invalidArgument("DataRetentionChangeInHours must be at least 1.")
        }
        try store.updateAttributes(streamID: stream.id, expectedVersion: version) { attributes in
            let current = attributes.retentionHours ?? Self.maxRetentionHours
            let updated: Int
            switch operation {
            case "INCREASE_DATA_RETENTION": updated = current + min(change, Self.maxRetentionHours)
            case "DECREASE_DATA_RETENTION": updated = current - change
            default:
                throw VideoStreamError.invalidArgument("Operation must be INCREASE_DATA_RETENTION or DECREASE_DATA_RETENTION.")
            }
            guard (0...Self.maxRetentionHours).contains(updated) else {
                throw VideoStreamError.invalidArgument(
                    "The retention would be \(updated) hours; it must stay within 0 to \(Self.maxRetentionHours) (now \(current)).")
            }
            attributes.retentionHours = updated
        }
        return [:]
    }

    func deleteStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try self.stream(arn: try a.required("StreamARN"))
        if let version = try a.string("CurrentVersion"), version != stream.attributes.version {
            throw VideoStreamError.versionMismatch("The stream's version is \(stream.attributes.version), not \(version).")
        }
        switch try deletion.delete(stream.name) {
        case .deleted, .notFound: return [:]
        case .receiving: throw VideoStreamError.inUse("The stream \(stream.name) is receiving media; stop the producer first.")
        }
    }

    static func checked(_ value: String?, _ name: String, length: ClosedRange<Int>) throws -> String? {
        guard let value else { return nil }
        guard length.contains(value.utf8.count) else {
            throw VideoStreamError.invalidArgument("\(name) must be \(length.lowerBound) to \(length.upperBound) characters.")
        }
        return value
    }

    /// `type/subtype[,type/subtype]` of `[\w.+-]`, up to 128 characters.
    static func mediaType(_ value: String?) throws -> String? {
        guard let value else { return nil }
        let valid = (1...128).contains(value.utf8.count) && value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { item in
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { part in
                !part.isEmpty && part.utf8.allSatisfy { c in
                    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || "_.+-".utf8.contains(c)
                }
            }
        }
        guard valid else { throw VideoStreamError.invalidArgument("MediaType must be type/subtype[,type/subtype], such as video/h264.") }
        return value
    }

    static func storageTier(_ value: String) throws -> String {
        guard value == "HOT" || value == "WARM" else { throw VideoStreamError.invalidArgument("DefaultStorageTier must be HOT or WARM.") }
        return value
    }
}
