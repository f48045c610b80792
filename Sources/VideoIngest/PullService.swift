import Foundation
import Fragments
import Logging

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

    /// Sets (or with nil removes) a stream's camera and (re)starts or stops its puller; with
    /// `start` false only the setting changes (`resume()` starts it).
    public func setSource(_ url: String?, streamID: Int64, streamName: String, start startNow: Bool = true) throws {
        if let url {
            try ingest.store.setSetting(Self.settingName, streamID: streamID,
                                        json: String(decoding: try JSONEncoder().encode(Source(url: url)), as: UTF8.self))
        } else {
            try ingest.store.removeSetting(Self.settingName, streamID: streamID)
        }
        guard startNow else { return }
        lock.withLock { pullers.removeValue(forKey: streamName) }?.stop()
        if let url { start(streamName, url: url) }
    }

    public func status(of name: String) -> PullStatus? {
        lock.withLock { pullers[name] }?.status
    }

    /// Stops every puller (the server is shutting down); their settings stay.
    public func stopAll() {
        let stopping = lock.withLock { () -> [StreamPuller] in
            defer { pullers.removeAll() }
            return Array(pullers.values)
        }
        stopping.forEach { $0.stop() }
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
