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
        let retention = try SettingsBody.decode(StreamRetention.self, from: data, known: StreamRetention.memberNames, what: "retention")
        do {
            _ = try retention.rule()
        } catch let invalid as StreamRetention.Invalid {
            throw APIError.invalidArgument(invalid.description)
        }
        return retention
    }
}
