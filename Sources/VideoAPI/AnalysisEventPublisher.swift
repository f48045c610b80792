import DataStreams
import Foundation
import FrameAnalysis
import Fragments

/// Publishes analysis events into their data stream through the DataStreams API (creating the
/// stream, one shard, on first use), partitioned by video stream name.
public final class AnalysisEventPublisher: AnalysisEventSink, @unchecked Sendable {
    private let dataStreams: DataStreamService
    private let store: FragmentStore
    private let lock = NSLock()
    private var _baseURL: String
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public init(dataStreams: DataStreamService, store: FragmentStore, baseURL: String) {
        self.dataStreams = dataStreams
        self.store = store
        _baseURL = baseURL
    }

    /// Where links in events point (the HTTP API as clients reach it); set once the port is known.
    public var baseURL: String {
        get { lock.withLock { _baseURL } }
        set { lock.withLock { _baseURL = newValue } }
    }

    public func publish(_ event: AnalysisEvent, settings: AnalysisSettings) throws {
        let record = EventRecord(event, streamArn: try arn(of: event.streamName), baseURL: baseURL)
        let data = [UInt8](try lock.withLock { try encoder.encode(record) })
        do {
            try dataStreams.put(streamName: settings.dataStream, partitionKey: event.streamName, data: data)
        } catch let error as KinesisError where error.type == "ResourceNotFoundException" {
            // First event, or someone deleted the stream: (re)create it and try once more.
            try dataStreams.ensureStream(named: settings.dataStream)
            try dataStreams.put(streamName: settings.dataStream, partitionKey: event.streamName, data: data)
        }
    }

    /// Looked up per event (events are rare): a stream deleted and created again gets a new ARN.
    private func arn(of name: String) throws -> String {
        let createdAt = try store.stream(named: name)?.createdAt ?? 0
        return VideoStreamARN.make(name: name, createdAt: createdAt)
    }
}

/// Kinesis Video Streams ARNs: `arn:aws:kinesisvideo:REGION:ACCOUNT:stream/NAME/CREATION_MS`.
enum VideoStreamARN {
    static func make(name: String, createdAt: Int64) -> String {
        "arn:aws:kinesisvideo:\(KinesisNames.region):\(KinesisNames.account):stream/\(name)/\(createdAt / 1000)"
    }
}
