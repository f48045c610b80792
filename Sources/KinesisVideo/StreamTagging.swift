import AWSProtocol
import Fragments

/// Tags by stream (a map) and by resource ARN (a list of Key/Value on the way in).
extension VideoStreamService {
    static func tags(_ tags: [String: String]) throws -> [String: String] {
        guard tags.count <= StreamTags.maximum else {
            throw VideoStreamError.tooManyTags("A stream can have at most \(StreamTags.maximum) tags.")
        }
        for (key, value) in tags {
            guard (1...128).contains(key.utf8.count), value.utf8.count <= 256 else {
                throw VideoStreamError.invalidArgument("Tag keys are 1 to 128 characters and values at most 256.")
            }
        }
        return tags
    }

    func tagStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveTaggedStream(a)
        guard let tags = try a.stringMap("Tags") else { throw VideoStreamError.invalidArgument("Tags is required.") }
        try store.updateTags(streamID: stream.id, set: try Self.tags(tags), remove: [])
        return [:]
    }

    func untagStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveTaggedStream(a)
        try store.updateTags(streamID: stream.id, set: [:], remove: try Self.tagKeys(a))
        return [:]
    }

    func listTagsForStream(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveTaggedStream(a)
        return ["Tags": .object(try store.tags(streamID: stream.id).mapValues { .string($0) })]
    }

    func tagResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try self.stream(arn: try a.required("ResourceARN"))
        guard let list = try a.array("Tags") else { throw VideoStreamError.invalidArgument("Tags is required.") }
        var tags: [String: String] = [:]
        for item in list {
            guard case .object(let fields) = item, let key = fields["Key"]?.string, let value = fields["Value"]?.string else {
                throw VideoStreamError.invalidArgument("Tags must be a list of {Key, Value}.")
            }
            tags[key] = value
        }
        try store.updateTags(streamID: stream.id, set: try Self.tags(tags), remove: [])
        return [:]
    }

    func untagResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try self.stream(arn: try a.required("ResourceARN"))
        try store.updateTags(streamID: stream.id, set: [:], remove: try Self.tagKeys(a))
        return [:]
    }

    func listTagsForResource(_ a: RequestMembers) throws -> AWSValue {
        let stream = try self.stream(arn: try a.required("ResourceARN"))
        return ["Tags": .object(try store.tags(streamID: stream.id).mapValues { .string($0) })]
    }

    private static func tagKeys(_ a: RequestMembers) throws -> [String] {
        guard let keys = try a.stringArray("TagKeyList"), (1...StreamTags.maximum).contains(keys.count) else {
            throw VideoStreamError.invalidArgument("TagKeyList must hold 1 to \(StreamTags.maximum) keys.")
        }
        return keys
    }

    /// Like `resolveStream`, but an ARN that is not a stream ARN is `InvalidResourceFormatException`.
    private func resolveTaggedStream(_ a: RequestMembers) throws -> StreamRecord {
        if let arn = try a.string("StreamARN"), try a.string("StreamName") == nil,
           !(arn.hasPrefix("arn:aws:kinesisvideo:") && arn.contains(":stream/")) {
            throw VideoStreamError.invalidResourceFormat("\(arn) is not a Kinesis Video stream ARN.")
        }
        return try resolveStream(a)
    }
}
