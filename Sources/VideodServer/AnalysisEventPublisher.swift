import AWSProtocol
import DataStreams
import Foundation
import FrameAnalysis
import Fragments
import NativeAPI

/// The analysis events' log over the data streams: each event becomes one record (JSON), in the
/// data stream its stream's settings name (created, one shard, on first use), partitioned by
/// video stream name; reading back scans that partition's retained records.
public final class AnalysisEventPublisher: AnalysisEventLog, @unchecked Sendable {
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
        let record = EventRecord(event, streamArn: try arn(of: event.streamName),
                                 links: NativeLinks.event(event, baseURL: baseURL))
        let data = [UInt8](try lock.withLock { try encoder.encode(record) })
        // Kept with the video, for event-aware retention (the data stream may expire sooner).
        try store.addEventSpan(streamNamed: event.streamName, start: event.motionStart ?? event.producerTime, end: event.producerTime)
        do {
            try dataStreams.put(streamName: settings.dataStream, partitionKey: event.streamName, data: data)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            // First event, or someone deleted the stream: (re)create it and try once more.
            try dataStreams.ensureStream(named: settings.dataStream)
            try dataStreams.put(streamName: settings.dataStream, partitionKey: event.streamName, data: data)
        }
    }

    public func prepare(dataStream: String) throws {
        try dataStreams.ensureStream(named: dataStream)
    }

    public func events(ofStream streamName: String, in dataStream: String, from position: Int64, scanLimit: Int) throws
        -> EventPage {
        let page: (records: [StoredRecord], next: Int64?)
        do {
            page = try dataStreams.records(streamName: dataStream, partitionKey: streamName, from: position, scanLimit: scanLimit)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return EventPage(events: [], next: nil)
        }
        let decoder = JSONDecoder()
        return EventPage(events: page.records.compactMap { record in
            (try? decoder.decode(EventRecord.self, from: Data(record.data))).map { ($0, record.sequence + 1) }
        }, next: page.next)
    }

    /// Looked up per event (events are rare): a stream deleted and created again gets a new ARN.
    private func arn(of name: String) throws -> String {
        let createdAt = try store.stream(named: name)?.createdAt ?? 0
        return ARN.videoStream(name, createdAt: createdAt, in: dataStreams.identity)
    }
}
