import AWSProtocol
import Foundation
import Fragments
import Playback
import Primitives
import VideoIngest

/// The Kinesis Video Streams operations over videod's one stream catalog: streams made by a push,
/// by the native API and by CreateStream are the same streams. Requests and responses are typed
/// `AWSValue` members; the routes (`KVSAPI`) carry them over REST-JSON. Calls block on the store:
/// run them off the event loops.
public final class VideoStreamService: Sendable {
    let store: FragmentStore
    let deletion: StreamDeletion
    public let identity: AWSIdentity
    /// The base URL clients reach this server at (GetDataEndpoint hands it out).
    let dataEndpoint: @Sendable () -> String
    let clock: MicrosecondClock
    /// Signs streaming-session tokens (HLS).
    let sessionToken: SessionToken
    /// GetImages and GetClip share the native routes' caches.
    let caches: PlaybackCaches

    public init(store: FragmentStore, ingest: IngestService, pulls: PullService, identity: AWSIdentity,
                dataEndpoint: @escaping @Sendable () -> String, sessionKey: [UInt8], caches: PlaybackCaches = .none,
                clock: @escaping MicrosecondClock = WallClock.now) {
        self.store = store
        self.caches = caches
        deletion = StreamDeletion(ingest: ingest, pulls: pulls)
        self.identity = identity
        self.dataEndpoint = dataEndpoint
        self.clock = clock
        sessionToken = SessionToken(key: sessionKey)
    }

    /// Operations with a REST path, and the cloud-only ones that answer NotImplemented.
    public static let operations = ["CreateStream", "DescribeStream", "ListStreams", "DeleteStream", "UpdateStream",
                                    "UpdateDataRetention", "GetDataEndpoint", "TagStream", "UntagStream", "ListTagsForStream",
                                    "TagResource", "UntagResource", "ListTagsForResource", "ListFragments",
                                    "GetHLSStreamingSessionURL", "GetDASHStreamingSessionURL", "GetImages"]
    public static let cloudOnlyOperations = [
        "CreateSignalingChannel", "DeleteSignalingChannel", "DescribeSignalingChannel", "ListSignalingChannels",
        "UpdateSignalingChannel", "GetSignalingChannelEndpoint", "DescribeMediaStorageConfiguration",
        "UpdateMediaStorageConfiguration", "DescribeMappedResourceConfiguration", "StartEdgeConfigurationUpdate",
        "DescribeEdgeConfiguration", "DeleteEdgeConfiguration", "ListEdgeAgentConfigurations",
        "DescribeImageGenerationConfiguration", "UpdateImageGenerationConfiguration", "DescribeNotificationConfiguration",
        "UpdateNotificationConfiguration", "DescribeStreamStorageConfiguration", "UpdateStreamStorageConfiguration",
    ]

    public func handle(_ operation: String, _ members: RequestMembers) throws -> AWSValue {
        do {
            switch operation {
            case "CreateStream": return try createStream(members)
            case "DescribeStream": return try describeStream(members)
            case "ListStreams": return try listStreams(members)
            case "DeleteStream": return try deleteStream(members)
            case "UpdateStream": return try updateStream(members)
            case "UpdateDataRetention": return try updateDataRetention(members)
            case "GetDataEndpoint": return try getDataEndpoint(members)
            case "TagStream": return try tagStream(members)
            case "UntagStream": return try untagStream(members)
            case "ListTagsForStream": return try listTagsForStream(members)
            case "TagResource": return try tagResource(members)
            case "UntagResource": return try untagResource(members)
            case "ListTagsForResource": return try listTagsForResource(members)
            case "ListFragments": return try listFragments(members)
            case "GetHLSStreamingSessionURL": return try getHLSStreamingSessionURL(members)
            case "GetDASHStreamingSessionURL": return try getDASHStreamingSessionURL(members)
            case "GetImages": return try getImages(members)
            case let other where Self.cloudOnlyOperations.contains(other): throw VideoStreamError.notImplemented(other)
            default: throw AWSError("UnknownOperationException", "Unknown operation \(operation)", status: 404)
            }
        } catch let error as AWSError {
            throw error
        } catch let error as StoreError {
            switch error {
            case .exists(let what): throw VideoStreamError.inUse("The \(what) exists already.")
            case .versionMismatch(let what): throw VideoStreamError.versionMismatch(what)
            case .tooManyTags: throw VideoStreamError.tooManyTags(error.description)
            case .notFound(let what): throw VideoStreamError.notFound("\(what) was not found.")
            default: throw AWSError.internalFailure("\(error)")
            }
        } catch {
            throw AWSError.internalFailure("\(error)")
        }
    }

    /// The stream named by `StreamName` or `StreamARN` (exactly one of them).
    func resolveStream(_ members: RequestMembers) throws -> StreamRecord {
        let name = try members.string("StreamName")
        let arn = try members.string("StreamARN")
        switch (name, arn) {
        case (nil, nil): throw VideoStreamError.invalidArgument("Either StreamName or StreamARN must be given.")
        case (.some, .some): throw VideoStreamError.invalidArgument("Give StreamName or StreamARN, not both.")
        case (let name?, nil): return try stream(named: name)
        case (nil, let arn?): return try stream(arn: arn)
        }
    }

    func stream(named name: String) throws -> StreamRecord {
        guard StreamName.isValid(name) else {
            throw VideoStreamError.invalidArgument("StreamName must be 1-256 characters of [a-zA-Z0-9_.-].")
        }
        guard let stream = try store.stream(named: name) else {
            throw VideoStreamError.notFound("The stream \(name) does not exist.")
        }
        return stream
    }

    /// A stream by ARN: its name and creation time must both match (a stream deleted and created
    /// again under its name has another ARN).
    func stream(arn: String) throws -> StreamRecord {
        guard let parts = ARN.videoStream(from: arn, in: identity) else {
            throw VideoStreamError.notFound("The stream \(arn) does not exist.")
        }
        guard let stream = try store.stream(named: parts.name), stream.createdAt / 1000 == parts.createdMillis else {
            throw VideoStreamError.notFound("The stream \(arn) does not exist.")
        }
        return stream
    }

    func arn(_ stream: StreamRecord) -> String {
        ARN.videoStream(stream.name, createdAt: stream.createdAt, in: identity)
    }
}
