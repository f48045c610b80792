import Fragments
import HTTPTypes
import Hummingbird

/// `GET /streams/{name}/media?start=…&end=…`: every fragment overlapping the range, as one
/// fragmented MP4 (the init segment, then the stored moof+mdat pairs with decode times moved
/// to start at zero).
/// The range starts at the key frame at or before `start`, since every fragment begins with one.
struct MediaRoutes: Sendable {
    let store: FragmentStore
    /// A longer range is cut here; the `X-Videod-Truncated` header says so.
    static let maxFragments = 5000

    @Sendable func range(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await VideoRoutes.stream(store, context)
        let range = try TimeRangeQuery(request)
        let store = self.store
        let fragments = try await blocking {
            try store.fragments(streamID: stream.id, kind: range.kind, from: range.start, to: range.end,
                                limit: Self.maxFragments + 1)
        }
        guard let first = fragments.first else {
            throw APIError.notFound("stream \(stream.name) has no fragments in that range")
        }
        // One init segment per output: a change of codec configuration ends the output there.
        let sameInit = fragments.prefix(Self.maxFragments).prefix { $0.initID == first.initID }
        let truncated = sameInit.count < fragments.count
        let (initBytes, firstBytes) = try await blocking {
            (try store.initSegment(id: first.initID), try store.bytes(of: first))
        }
        let timeline = DownloadTimeline(initSegment: initBytes, firstFragment: firstBytes)
        let records = Array(sameInit)
        var headers: HTTPFields = [.contentType: "video/mp4"]
        headers[HTTPField.Name("X-Videod-Fragments")!] = String(records.count)
        if truncated { headers[HTTPField.Name("X-Videod-Truncated")!] = "true" }
        let length = initBytes.count + records.reduce(0) { $0 + Int($1.size) }
        let body = ResponseBody(contentLength: length) { writer in
            try await writer.write(ByteBuffer(bytes: initBytes))
            for record in records {
                let bytes = try await blocking { try store.bytes(of: record) }
                try await writer.write(ByteBuffer(bytes: timeline.rebase(bytes)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
