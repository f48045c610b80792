import Foundation
import Fragments
import Logging
import Media
import Primitives
import VideoIngest

/// Starts an analyser for every ingest session of a stream whose analysis is enabled, keeps
/// each stream's settings (stored with the stream) and the latest analyser's status, and reads
/// a stream's published events back.
public final class AnalysisService: IngestObserver, @unchecked Sendable {
    static let settingName = "analysis"

    private let store: FragmentStore
    private let eventLog: any AnalysisEventLog
    /// Settings of streams that never had theirs set (`enabled` false turns analysis off by default).
    public let defaults: AnalysisSettings
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let lock = NSLock()
    private var analyzers: [String: StreamAnalyzer] = [:]
    /// Analysers that may run at once (each is a thread decoding video); a session past the cap
    /// is stored but not analysed, and its stream's status says why.
    public let maxAnalysers: Int
    private var refused: [String: AnalysisStatus] = [:]

    public init(store: FragmentStore, eventLog: any AnalysisEventLog, defaults: AnalysisSettings = .init(), logger: Logger,
                maxAnalysers: Int = 256, clock: @escaping MicrosecondClock = WallClock.now) {
        self.store = store
        self.maxAnalysers = maxAnalysers
        self.eventLog = eventLog
        self.defaults = defaults
        self.logger = logger
        self.clock = clock
    }

    /// The stream's settings, or the defaults when none were set (or the stream does not exist
    /// yet). Stored settings that no longer pass `problem()` are skipped with a warning, so one
    /// bad row cannot stop every later push.
    public func settings(streamNamed name: String) throws -> AnalysisSettings {
        guard let stream = try store.stream(named: name),
              let json = try store.setting(Self.settingName, streamID: stream.id) else { return defaults }
        guard let stored = try? JSONDecoder().decode(AnalysisSettings.self, from: Data(json.utf8)) else {
            logger.warning("stored analysis settings do not parse; using the defaults", metadata: ["stream": "\(name)"])
            return defaults
        }
        if let problem = stored.problem() {
            logger.warning("stored analysis settings are invalid; using the defaults",
                           metadata: ["stream": "\(name)", "problem": "\(problem)"])
            return defaults
        }
        return stored
    }

    public struct InvalidSettings: Error, CustomStringConvertible {
        public let description: String
    }

    /// Stores settings for a stream; they apply from its next ingest session. The data stream
    /// they name is made ready at once, so consumers can start reading before the first event.
    public func setSettings(_ settings: AnalysisSettings, streamID: Int64) throws {
        if let problem = settings.problem() { throw InvalidSettings(description: problem) }
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try store.setSetting(Self.settingName, streamID: streamID, json: json)
        if settings.enabled { try eventLog.prepare(dataStream: settings.dataStream) }
    }

    /// Up to `limit` of a stream's published events whose time (by `kind`'s clock) is in
    /// `start..<end`, of one type if given, from `position` in the events' log (nil: the oldest),
    /// in producer-time order; `next` continues after them. Memory stays within a page, however
    /// long the events stream's retention.
    public func events(streamNamed name: String, kind: TimestampKind, from start: Int64, to end: Int64, type: String?,
                       after position: Int64?, limit: Int) throws -> (events: [EventRecord], next: Int64?) {
        let dataStream = try settings(streamNamed: name).dataStream
        var found: [EventRecord] = []
        var position = position ?? 0
        func inOrder(_ events: [EventRecord]) -> [EventRecord] {
            events.sorted { ($0.producerTimestamp, $0.eventType) < ($1.producerTimestamp, $1.eventType) }
        }
        while true {
            let page = try eventLog.events(ofStream: name, in: dataStream, from: position, scanLimit: 1000)
            for (event, after) in page.events where matches(event, stream: name, dataStream: dataStream, kind: kind,
                                                             start: start, end: end, type: type) {
                found.append(event)
                if found.count == limit { return (inOrder(found), after) }
            }
            guard let next = page.next else { return (inOrder(found), nil) }
            position = next
        }
    }

    private func matches(_ event: EventRecord, stream name: String, dataStream: String, kind: TimestampKind, start: Int64,
                         end: Int64, type: String?) -> Bool {
        let seconds = kind == .producer ? event.producerTimestamp : event.serverTimestamp
        // Anyone may put records into a data stream: a time that is no time is skipped.
        guard let time = Timestamp.microseconds(fromSeconds: seconds) else {
            logger.warning("skipping an event record with an impossible time",
                           metadata: ["stream": "\(name)", "dataStream": "\(dataStream)", "eventId": "\(event.eventId)"])
            return false
        }
        return event.streamName == name && time >= start && time < end && (type == nil || event.eventType == type)
    }

    /// Every stream's latest analyser status (for metrics).
    public func statuses() -> [String: AnalysisStatus] {
        lock.withLock { analyzers.mapValues(\.status).merging(refused) { _, refusedStatus in refusedStatus } }
    }

    /// Analysers still working (a finished session's analyser runs until its queue is empty).
    public var runningAnalysers: Int {
        lock.withLock { analyzers.values.filter(\.status.running).count }
    }

    /// The latest (possibly finished) analyser's status for a stream.
    public func status(streamNamed name: String) -> AnalysisStatus? {
        lock.withLock { refused[name] ?? analyzers[name]?.status }
    }

    public func sessionStarted(streamName: String, video: CodecParameters) -> (any IngestTap)? {
        let settings: AnalysisSettings
        do {
            settings = try self.settings(streamNamed: streamName)
        } catch {
            logger.warning("cannot read analysis settings; analysing with the defaults",
                           metadata: ["stream": "\(streamName)", "error": "\(error)"])
            settings = defaults
        }
        guard settings.enabled, !settings.detectors.isEmpty else { return nil }
        let running = lock.withLock { analyzers.values.filter(\.status.running).count }
        guard running < maxAnalysers else {
            var status = AnalysisStatus()
            status.running = false
            status.decodeGate = "off"
            status.lastError = "not analysed: \(running) streams are analysed already (--max-analysed-streams)"
            lock.withLock { refused[streamName] = status }
            logger.warning("stream not analysed: the analyser cap is reached", metadata: ["stream": "\(streamName)", "running": "\(running)"])
            return nil
        }
        let analyzer = StreamAnalyzer(streamName: streamName, parameters: video, settings: settings, sink: eventLog,
                                      logger: logger, clock: clock)
        lock.withLock {
            analyzers[streamName] = analyzer
            refused[streamName] = nil
        }
        return analyzer
    }
}
