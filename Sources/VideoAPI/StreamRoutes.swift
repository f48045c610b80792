import Foundation
import FrameAnalysis
import Fragments
import Hummingbird
import VideoIngest

/// `GET /streams`, `GET|PUT|DELETE /streams/{name}`.
struct StreamRoutes: Sendable {
    let store: FragmentStore
    let ingest: IngestService
    let analysis: AnalysisService

    @Sendable func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let store = self.store
        let ingest = self.ingest
        let analysis = self.analysis
        let descriptions = try await blocking {
            try store.listStreams().map {
                StreamDescription(stream: $0, statistics: try store.statistics(streamID: $0.id),
                                  source: ingest.source(of: $0.name), analysis: try Self.analysis($0.name, analysis))
            }
        }
        return JSONResponse.make(StreamList(streams: descriptions))
    }

    @Sendable func describe(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await VideoRoutes.stream(store, context)
        let store = self.store
        let analysis = self.analysis
        let (statistics, analysed) = try await blocking {
            (try store.statistics(streamID: stream.id), try Self.analysis(stream.name, analysis))
        }
        return JSONResponse.make(StreamDescription(stream: stream, statistics: statistics,
                                                   source: ingest.source(of: stream.name), analysis: analysed))
    }

    static func analysis(_ name: String, _ service: AnalysisService) throws -> StreamDescription.Analysis {
        let settings = try service.settings(streamNamed: name)
        return StreamDescription.Analysis(enabled: settings.enabled, detectors: settings.detectors.map(\.rawValue),
                                          dataStream: settings.dataStream, status: service.status(streamNamed: name))
    }

    /// Creates a stream explicitly (needed when auto-create is off); idempotent. An optional JSON
    /// body `{"analysis": {...}}` sets the stream's analysis settings.
    @Sendable func create(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard StreamName.isValid(name) else {
            throw APIError(.badRequest, "InvalidStreamName", StreamName.rule)
        }
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        var settings: AnalysisSettings?
        if !body.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw APIError.invalidArgument("the body must be a JSON object such as {\"analysis\": {\"enabled\": true}}")
            }
            if let unknown = object.keys.sorted().first(where: { $0 != "analysis" }) {
                throw APIError.invalidArgument("unknown stream setting \"\(unknown)\" (known: analysis)")
            }
            if let analysis = object["analysis"] {
                settings = try AnalysisRoutes.decodeSettings(try JSONSerialization.data(withJSONObject: analysis, options: [.fragmentsAllowed]))
            }
        }
        let store = self.store
        let analysis = self.analysis
        let settingsToSet = settings
        let (stream, created, statistics, analysed) = try await blocking {
            let (stream, created) = try store.createStream(named: name, now: WallClock.now())
            if let settingsToSet { try analysis.setSettings(settingsToSet, streamID: stream.id) }
            return (stream, created, try store.statistics(streamID: stream.id), try Self.analysis(name, analysis))
        }
        return JSONResponse.make(status: created ? .created : .ok,
                                 StreamDescription(stream: stream, statistics: statistics, source: ingest.source(of: name), analysis: analysed))
    }

    @Sendable func delete(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await VideoRoutes.stream(store, context)
        guard !ingest.isIngesting(stream.name) else {
            throw APIError(.conflict, "ResourceInUse", "stream \(stream.name) is receiving a push; stop it first")
        }
        let store = self.store
        _ = try await blocking { try store.deleteStream(named: stream.name) }
        return Response(status: .noContent)
    }

    private struct StreamList: Encodable {
        let streams: [StreamDescription]
    }
}
