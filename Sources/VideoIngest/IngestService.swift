import Foundation
import Fragments
import Logging
import Media

/// Settings every ingest session shares.
public struct IngestConfiguration: Sendable {
    public var fragmenter: Fragmenter.Configuration
    /// Create a stream on its first push; when false, pushing to an unknown stream fails.
    public var autoCreateStreams: Bool
    /// Bytes buffered between the socket and the demuxer before the socket is pushed back on.
    public var bufferBytes: Int

    public init(fragmenter: Fragmenter.Configuration = .init(), autoCreateStreams: Bool = true, bufferBytes: Int = 4 << 20) {
        self.fragmenter = fragmenter
        self.autoCreateStreams = autoCreateStreams
        self.bufferBytes = bufferBytes
    }
}

/// What a protocol front end knows when a push begins.
public struct IngestRequest: Sendable {
    public var streamName: String
    /// The declared container (an HTTP Content-Type), if any; otherwise the first bytes decide.
    public var contentType: String?
    /// Producer time of the first frame, microseconds since the epoch, when the device said so.
    public var producerStart: Int64?
    /// "http", "rtsp", "rtsp-pull", "tcp".
    public var source: String
    public var remoteAddress: String?
    /// For pulls: the URL without credentials.
    public var url: String?

    public init(streamName: String, contentType: String? = nil, producerStart: Int64? = nil, source: String = "http",
                remoteAddress: String? = nil, url: String? = nil) {
        self.streamName = streamName
        self.contentType = contentType
        self.producerStart = producerStart
        self.source = source
        self.remoteAddress = remoteAddress
        self.url = url.map(URLRedaction.redact)
    }
}

/// Starts ingest sessions and keeps at most one active session per stream.
public final class IngestService: @unchecked Sendable {
    public let store: FragmentStore
    public let configuration: IngestConfiguration
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Sees every session's video and stored fragments (frame analysis), if set.
    let observer: (any IngestObserver)?
    private let lock = NSLock()
    private var active: [String: IngestSession] = [:]

    public init(store: FragmentStore, configuration: IngestConfiguration, logger: Logger,
                observer: (any IngestObserver)? = nil, clock: @escaping @Sendable () -> Int64 = WallClock.now) {
        self.store = store
        self.observer = observer
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
            if active[request.streamName] != nil {
                throw IngestError.streamBusy("stream \(request.streamName) is already receiving a push")
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


    func end(_ session: IngestSession) {
        lock.withLock {
            if active[session.request.streamName] === session { active[session.request.streamName] = nil }
        }
    }
}

public enum WallClock {
    @Sendable public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
