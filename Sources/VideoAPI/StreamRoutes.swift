import Fragments
import Hummingbird
import VideoIngest

/// `GET /streams`, `GET|PUT|DELETE /streams/{name}`.
struct StreamRoutes: Sendable {
    let store: FragmentStore
    let ingest: IngestService

    @Sendable func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let store = self.store
        let ingest = self.ingest
        let descriptions = try await blocking {
            try store.listStreams().map {
                StreamDescription(stream: $0, statistics: try store.statistics(streamID: $0.id),
                                  ingesting: ingest.isIngesting($0.name))
            }
        }
        return JSONResponse.make(StreamList(streams: descriptions))
    }

    @Sendable func describe(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await VideoRoutes.stream(store, context)
        let store = self.store
        let statistics = try await blocking { try store.statistics(streamID: stream.id) }
        return JSONResponse.make(StreamDescription(stream: stream, statistics: statistics,
                                                   ingesting: ingest.isIngesting(stream.name)))
    }

    /// Creates a stream explicitly (needed when auto-create is off); idempotent.
    @Sendable func create(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard StreamName.isValid(name) else {
            throw APIError(.badRequest, "InvalidStreamName", StreamName.rule)
        }
        let store = self.store
        let (stream, created) = try await blocking { try store.createStream(named: name, now: WallClock.now()) }
        let statistics = try await blocking { try store.statistics(streamID: stream.id) }
        return JSONResponse.make(status: created ? .created : .ok,
                                 StreamDescription(stream: stream, statistics: statistics, ingesting: ingest.isIngesting(name)))
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
