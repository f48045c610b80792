import Fragments
import HTTPTypes
import Hummingbird
import Playback
import RouteSupport

/// `GET /streams/{name}/media?start=…&end=…`: every fragment overlapping the range, as one
/// fragmented MP4 (`Playback.MediaRange`: from the key frame at or before `start`, one init
/// segment's worth; `X-Videod-Truncated` says when it stopped short).
struct MediaRoutes: Sendable {
    let store: FragmentStore
    /// A longer range is cut here.
    static let maxFragments = 5000

    @Sendable func range(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let range = try TimeRangeQuery(request)
        let store = self.store
        let planned = try await blocking {
            try MediaRange.plan(store, streamID: stream.id, kind: range.kind, from: range.start, to: range.end,
                                maxFragments: Self.maxFragments)
        }
        guard let media = planned else {
            throw APIError.notFound("stream \(stream.name) has no fragments in that range")
        }
        var headers: HTTPFields = [.contentType: "video/mp4"]
        headers[HTTPField.Name("X-Videod-Fragments")!] = String(media.run.fragments.count)
        if media.truncated { headers[HTTPField.Name("X-Videod-Truncated")!] = "true" }
        let body = ResponseBody(contentLength: media.contentLength) { writer in
            try await writer.write(ByteBuffer(bytes: media.initSegment))
            for record in media.run.fragments {
                let bytes = try await blocking { try media.bytes(of: record) }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
