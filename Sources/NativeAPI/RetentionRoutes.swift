import Foundation
import Fragments
import Hummingbird
import RouteSupport

/// `GET|PUT /streams/{name}/retention`: the stream's own retention — `all`, `events`,
/// `eventPadding`, `maxBytes` (`StreamRetention`). `{}` removes it. The sweep applies it every
/// `--retention-sweep-seconds`.
struct RetentionRoutes: Sendable {
    let store: FragmentStore

    @Sendable func describe(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let store = self.store
        let retention = try await blocking { try store.streamRetention(streamID: stream.id) }
        return JSONResponse.make(retention ?? StreamRetention())
    }

    @Sendable func update(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let body = try await request.body.collect(upTo: 64 << 10)
        let retention = try Self.decode(Data(buffer: body))
        let store = self.store
        try await blocking { try store.setStreamRetention(retention == StreamRetention() ? nil : retention, streamID: stream.id) }
        return JSONResponse.make(retention)
    }

    /// A JSON object of known members with values of the right type that make a rule.
    static func decode(_ data: Data) throws -> StreamRetention {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.invalidArgument("the body must be a JSON object like {\"all\": \"3d\", \"events\": \"30d\", \"eventPadding\": 5}")
        }
        let known = Set(StreamRetention.memberNames)
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalidArgument("unknown retention setting \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        let retention: StreamRetention
        do {
            retention = try JSONDecoder().decode(StreamRetention.self, from: data)
        } catch {
            throw APIError.invalidArgument("retention settings have the wrong type: all, events and maxBytes are strings, eventPadding a number of seconds")
        }
        do {
            _ = try retention.rule()
        } catch let invalid as StreamRetention.Invalid {
            throw APIError.invalidArgument(invalid.description)
        }
        return retention
    }
}
