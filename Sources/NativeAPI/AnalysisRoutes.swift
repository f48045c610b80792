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

    /// Settings from a JSON object: unknown members are refused (a misspelt key must not be
    /// silently ignored), then each value is checked.
    static func decodeSettings(_ data: Data) throws -> AnalysisSettings {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.invalidArgument("the body must be a JSON object of analysis settings")
        }
        let known = Set(AnalysisSettings.memberNames)
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalidArgument("unknown analysis setting \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        let settings: AnalysisSettings
        do {
            settings = try JSONDecoder().decode(AnalysisSettings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.invalidArgument("analysis setting \(path) has the wrong type: \(context.debugDescription)")
        }
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
