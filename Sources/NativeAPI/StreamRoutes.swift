import Foundation
import FrameAnalysis
import Fragments
import Hummingbird
import Primitives
import RouteSupport
import VideoIngest

/// `GET /streams`, `GET|PUT|DELETE /streams/{name}`.
struct StreamRoutes: Sendable {
    let store: FragmentStore
    let ingest: IngestService
    let analysis: AnalysisService
    let pulls: PullService

    @Sendable func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let store = self.store
        let ingest = self.ingest
        let analysis = self.analysis
        let descriptions = try await blocking {
            try store.listStreams().map {
                StreamDescription(stream: $0, statistics: try store.statistics(streamID: $0.id),
                                  source: ingest.source(of: $0.name), pull: pulls.status(of: $0.name), analysis: try Self.analysis($0.name, analysis))
            }
        }
        return JSONResponse.make(StreamList(streams: descriptions))
    }

    @Sendable func describe(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let store = self.store
        let analysis = self.analysis
        let (statistics, analysed) = try await blocking {
            (try store.statistics(streamID: stream.id), try Self.analysis(stream.name, analysis))
        }
        return JSONResponse.make(StreamDescription(stream: stream, statistics: statistics,
                                                   source: ingest.source(of: stream.name),
                                                   pull: pulls.status(of: stream.name), analysis: analysed))
    }

    static func analysis(_ name: String, _ service: AnalysisService) throws -> StreamDescription.Analysis {
        let settings = try service.settings(streamNamed: name)
        return StreamDescription.Analysis(enabled: settings.enabled, detectors: settings.detectors.map(\.rawValue),
                                          dataStream: settings.dataStream, status: service.status(streamNamed: name))
    }

    /// Creates a stream explicitly (needed when auto-create is off); idempotent. An optional JSON
    /// body sets the stream's analysis settings (`"analysis": {...}`) and/or a camera to pull
    /// (`"source": "rtsp://user:pass@camera/stream"`, or null to stop pulling).
    @Sendable func create(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try NativeRoutes.streamName(context)
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        var settings: AnalysisSettings?
        var source: String??
        if !body.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw APIError.invalidArgument("the body must be a JSON object such as {\"analysis\": {\"enabled\": true}}")
            }
            if let unknown = object.keys.sorted().first(where: { $0 != "analysis" && $0 != "source" }) {
                throw APIError.invalidArgument("unknown stream setting \"\(unknown)\" (known: analysis, source)")
            }
            if let analysis = object["analysis"] {
                settings = try AnalysisRoutes.decodeSettings(try JSONSerialization.data(withJSONObject: analysis, options: [.fragmentsAllowed]))
            }
            if let given = object["source"] {
                if given is NSNull {
                    source = .some(nil)
                } else {
                    guard let url = given as? String else { throw APIError.invalidArgument("source must be a URL string or null") }
                    if let problem = PullService.problem(with: url) { throw APIError.invalidArgument(problem) }
                    source = .some(url)
                }
            }
        }
        let store = self.store
        let analysis = self.analysis
        let pulls = self.pulls
        let settingsToSet = settings
        let sourceToSet = source
        let (stream, created, statistics, analysed) = try await blocking {
            let (stream, created) = try store.createStream(named: name, now: WallClock.now())
            if let settingsToSet { try analysis.setSettings(settingsToSet, streamID: stream.id) }
            if let sourceToSet { try pulls.setSource(sourceToSet, streamID: stream.id, streamName: name) }
            return (stream, created, try store.statistics(streamID: stream.id), try Self.analysis(name, analysis))
        }
        return JSONResponse.make(status: created ? .created : .ok,
                                 StreamDescription(stream: stream, statistics: statistics, source: ingest.source(of: name),
                                                   pull: pulls.status(of: name), analysis: analysed))
    }

    @Sendable func delete(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let deletion = StreamDeletion(ingest: ingest, pulls: pulls)
        switch try await blocking({ try deletion.delete(stream.name) }) {
        case .deleted, .notFound:
            return Response(status: .noContent)
        case .receiving:
            throw APIError(.conflict, "ResourceInUse", "stream \(stream.name) is receiving a push; stop it first")
        }
    }


    private struct StreamList: Encodable {
        let streams: [StreamDescription]
    }
}
