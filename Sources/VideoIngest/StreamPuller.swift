import Foundation
import Fragments
import Logging
import Media

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

    /// Stopped, or the server is shutting down (the pull resumes after the restart).
    private var isStopped: Bool { lock.withLock { stopped } || ingest.isDraining }

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
