import Foundation
import Fragments
import Logging
import Media

/// How a pulled camera is doing, as `GET /streams/{name}` shows it (never with credentials).
public struct PullStatus: Sendable, Encodable, Equatable {
    /// "connecting", "receiving", "reconnecting", "stopped".
    public var state: String
    public var url: String
    public var reconnects: Int
    public var lastError: String?
    public var nextAttemptInSeconds: Double?
}

/// Pulls one RTSP camera over TCP (libavformat's RTSP client) into its stream for as long as
/// it is configured: each connection is one ingest session; when the camera drops, it retries
/// with backoff (1 s doubling to 30 s) and the first fragment after the gap is marked as a
/// discontinuity. The URL's credentials are used to connect and appear nowhere else.
public final class StreamPuller: @unchecked Sendable {
    public let streamName: String
    private let url: String
    private let ingest: IngestService
    private let logger: Logger
    private let interrupt = InterruptFlag()
    private let lock = NSLock()
    private var _status: PullStatus
    private var stopped = false

    static let maxBackoff: Double = 30

    init(streamName: String, url: String, ingest: IngestService, logger: Logger) {
        self.streamName = streamName
        self.url = url
        self.ingest = ingest
        self.logger = logger
        _status = PullStatus(state: "connecting", url: URLRedaction.redact(url), reconnects: 0)
    }

    public var status: PullStatus { lock.withLock { _status } }

    func start() {
        Task.detached { [self] in await loop() }
    }

    /// Stops pulling: a blocked read gives up within libav's polling interval.
    func stop() {
        lock.withLock {
            stopped = true
            _status.state = "stopped"
            _status.nextAttemptInSeconds = nil
        }
        interrupt.raise()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func loop() async {
        var backoff = 1.0
        var sessions = 0
        let redacted = URLRedaction.redact(url)
        while !isStopped {
            let began = ingest.clock()
            var failure: String?
            do {
                let hasHistory = try ingest.store.producerEnd(streamNamed: streamName) != nil
                let session = try ingest.begin(IngestRequest(streamName: streamName, source: "rtsp-pull", url: url))
                lock.withLock { if !stopped { _status.state = "receiving" } }
                let outcome = await session.runPull(url: url, interrupt: interrupt, afterGap: sessions > 0 || hasHistory)
                sessions += 1
                failure = outcome.error.map { "\($0)" } ?? "the camera ended the stream"
                if outcome.summary.fragments > 0 && ingest.clock() - began > 30_000_000 { backoff = 1 }
            } catch {
                failure = "\(error)"
            }
            if isStopped { break }
            logger.warning("camera pull interrupted; reconnecting",
                           metadata: ["stream": "\(streamName)", "url": "\(redacted)", "error": "\(failure ?? "")",
                                      "retryIn": "\(backoff)s"])
            lock.withLock {
                _status.state = "reconnecting"
                _status.reconnects += 1
                _status.lastError = failure
                _status.nextAttemptInSeconds = backoff
            }
            var waited = 0.0
            while waited < backoff && !isStopped {
                try? await Task.sleep(nanoseconds: 100_000_000)
                waited += 0.1
            }
            backoff = min(backoff * 2, Self.maxBackoff)
            lock.withLock { if !stopped { _status.state = "connecting"; _status.nextAttemptInSeconds = nil } }
        }
    }
}

/// The configured camera pulls: kept with the stream (so they resume after a restart) and one
/// running `StreamPuller` per stream.
public final class PullService: @unchecked Sendable {
    static let settingName = "source"
    private let ingest: IngestService
    private let logger: Logger
    private let lock = NSLock()
    private var pullers: [String: StreamPuller] = [:]

    public init(ingest: IngestService, logger: Logger) {
        self.ingest = ingest
        self.logger = logger
    }

    private struct Source: Codable { var url: String }

    /// Starts every pull configured before the last shutdown.
    public func resume() throws {
        for stream in try ingest.store.listStreams() {
            if let json = try ingest.store.setting(Self.settingName, streamID: stream.id),
               let source = try? JSONDecoder().decode(Source.self, from: Data(json.utf8)) {
                start(stream.name, url: source.url)
            }
        }
    }

    /// What is wrong with a source URL, or nil.
    public static func problem(with url: String) -> String? {
        guard let components = URLComponents(string: url), components.host?.isEmpty == false else {
            return "source must be a URL such as rtsp://user:pass@camera/stream"
        }
        guard ["rtsp", "rtsps"].contains(components.scheme?.lowercased() ?? "") else {
            return "source must be an rtsp:// or rtsps:// URL"
        }
        return nil
    }

    /// Sets (or with nil removes) a stream's camera and (re)starts or stops its puller.
    public func setSource(_ url: String?, streamID: Int64, streamName: String) throws {
        if let url {
            try ingest.store.setSetting(Self.settingName, streamID: streamID,
                                        json: String(decoding: try JSONEncoder().encode(Source(url: url)), as: UTF8.self))
        } else {
            try ingest.store.removeSetting(Self.settingName, streamID: streamID)
        }
        lock.withLock { pullers.removeValue(forKey: streamName) }?.stop()
        if let url { start(streamName, url: url) }
    }

    public func status(of name: String) -> PullStatus? {
        lock.withLock { pullers[name] }?.status
    }

    /// Stops a stream's puller (the stream is being deleted).
    public func stop(_ name: String) {
        lock.withLock { pullers.removeValue(forKey: name) }?.stop()
    }

    private func start(_ name: String, url: String) {
        let puller = StreamPuller(streamName: name, url: url, ingest: ingest, logger: logger)
        lock.withLock { pullers[name] = puller }
        logger.info("pulling camera", metadata: ["stream": "\(name)", "url": "\(URLRedaction.redact(url))"])
        puller.start()
    }
}
