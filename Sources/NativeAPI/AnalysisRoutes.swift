import Foundation
import FrameAnalysis
import Fragments
import Hummingbird
import RouteSupport

/// `GET|PUT /streams/{name}/analysis` (settings and status) and `GET /streams/{name}/events`
/// (the stream's events for a time range, read back from the events data stream).
struct AnalysisRoutes: Sendable {
    let store: FragmentStore
    let analysis: AnalysisService

    struct Description: Encodable {
        let settings: AnalysisSettings
        let status: AnalysisStatus?
    }

    @Sendable func describe(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let analysis = self.analysis
        let settings = try await blocking { try analysis.settings(streamNamed: stream.name) }
        return JSONResponse.make(Description(settings: settings, status: analysis.status(streamNamed: stream.name)))
    }

    @Sendable func update(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let body = try await request.body.collect(upTo: 1 << 20)
        let settings = try Self.decodeSettings(Data(buffer: body))
        let analysis = self.analysis
        try await blocking { try analysis.setSettings(settings, streamID: stream.id) }
        return JSONResponse.make(Description(settings: settings, status: analysis.status(streamNamed: stream.name)))
    }

    /// Settings from a JSON object of known members, then each value checked.
    static func decodeSettings(_ data: Data) throws -> AnalysisSettings {
        let settings = try SettingsBody.decode(AnalysisSettings.self, from: data, known: AnalysisSettings.memberNames, what: "analysis")
        if let problem = settings.problem() { throw APIError.invalidArgument(problem) }
        return settings
    }

    struct EventList: Encodable {
        let events: [EventRecord]
        /// Continues the listing (`?next=`); absent on the last page.
        let next: String?
    }

    static let defaultEventLimit = 1000

    @Sendable func events(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let range = try TimeRangeQuery(request)
        let type = request.uri.queryParameters.get("type")
        let page = try PageQuery(request, defaultLimit: Self.defaultEventLimit, maxLimit: Self.defaultEventLimit,
                                 decode: EventPageToken.decode, tokenProblem: "next is not a token from an events listing")
        let analysis = self.analysis
        let (limit, after) = (page.limit, page.after)
        let (found, next) = try await blocking {
            try analysis.events(streamNamed: stream.name, kind: range.kind, from: range.start, to: range.end, type: type,
                                after: after, limit: limit)
        }
        return JSONResponse.make(EventList(events: found, next: next.map(EventPageToken.encode)))
    }
}
