import Foundation
import Fragments
import Logging
import Media
import Primitives

/// Starts ingest sessions and keeps at most one active session per stream.
public final class IngestService: @unchecked Sendable {
    public let store: FragmentStore
    public let configuration: IngestConfiguration
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// See every session's video and stored fragments (frame analysis, later PutMedia acks).
    let observers: [any IngestObserver]
    private let lock = NSLock()
    private var active: [String: IngestSession] = [:]
    private var draining = false

    public init(store: FragmentStore, configuration: IngestConfiguration, logger: Logger,
                observers: [any IngestObserver] = [], clock: @escaping MicrosecondClock = WallClock.now) {
        self.store = store
        self.observers = observers
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// Validates the request and reserves the stream; the caller feeds `session.input` and awaits `run()`.
    public func begin(_ request: IngestRequest) throws -> IngestSession {
        guard StreamName.isValid(request.streamName) else {
            throw IngestError.invalidStreamName(StreamName.rule)
        }
        let arrival = clock()
        if !configuration.autoCreateStreams {
            // With auto-create on, the stream is created when its first fragment is stored,
            // so a rejected push leaves nothing behind.
            let exists: Bool
            do {
                exists = try store.stream(named: request.streamName) != nil
            } catch {
                throw IngestError.storage("\(error)")
            }
            guard exists else {
                throw IngestError.streamNotFound("stream \(request.streamName) does not exist and auto-create is off")
            }
        }
        let session = IngestSession(service: self, request: request, arrival: arrival)
        try lock.withLock {
            if draining { throw IngestError.shuttingDown("the server is shutting down; push again after it restarts") }
            if active[request.streamName] != nil {
                throw IngestError.streamBusy("stream \(request.streamName) is already receiving a push")
            }
            guard active.count < configuration.maxSessions else {
                throw IngestError.overloaded("the server already receives \(active.count) pushes, its limit (--max-ingest-sessions)")
            }
            active[request.streamName] = session
        }
        return session
    }

    public func isIngesting(_ name: String) -> Bool {
        lock.withLock { active[name] != nil }
    }

    /// The live session's source and counters, if the stream is receiving.
    public func source(of name: String) -> IngestSourceStatus? {
        lock.withLock { active[name] }?.sourceStatus(now: clock())
    }

    /// Every receiving stream's source and counters (for metrics).
    public func sources() -> [String: IngestSourceStatus] {
        let sessions = lock.withLock { active }
        let now = clock()
        return sessions.mapValues { $0.sourceStatus(now: now) }
    }

    /// Shutting down: no new session starts, and each running one ends at its next fragment
    /// boundary, so that what it stored is whole fragments and acknowledged.
    public func drain() {
        let sessions = lock.withLock {
            draining = true
            return Array(active.values)
        }
        sessions.forEach { $0.stopAtNextFragment() }
    }

    public var isDraining: Bool { lock.withLock { draining } }

    /// Sessions still running.
    public var sessionCount: Int { lock.withLock { active.count } }

    /// Ends every running session now (a drain ran out of time): each stores its open fragment.
    public func endAll() {
        lock.withLock { Array(active.values) }.forEach { $0.endNow() }
    }

    func end(_ session: IngestSession) {
        lock.withLock {
            if active[session.request.streamName] === session { active[session.request.streamName] = nil }
        }
    }
}
