import Fragments
import Hummingbird
import HTTPTypes
import NIOCore
import Playback
import Primitives
import RouteSupport

/// `GET /streams/{name}/clip.mp4?start=…&end=…`: the range as one progressive MP4, index first,
/// served with HTTP Range requests so that a browser's `<video>` can seek in it. The file is laid
/// out from the stored fragments (their sample tables only), never written out; the layout is kept
/// for the Range requests that follow.
struct ClipRoutes: Sendable {
    let store: FragmentStore
    let layouts: ClipLayoutCache
    static let maxFragments = 5000
    static let maxBytes: Int64 = 4 << 30
    /// Bytes read from the segment files per hop off the event loop.
    static let readSize = 4 << 20
    /// Whether the clip's layout was made for this request or kept from an earlier one.
    static let layoutHeader = HTTPField.Name("X-Videod-Clip-Layout")!

    @Sendable func clip(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let range = try TimeRangeQuery(request)
        let (store, layouts) = (self.store, self.layouts)
        let planned = try await blocking {
            try ClipPlanner.plan(store, streamID: stream.id, kind: range.kind, from: range.start, to: range.end,
                                 maxFragments: Self.maxFragments, maxBytes: Self.maxBytes, layouts: layouts)
        }
        guard let plan = planned else { throw APIError.notFound("stream \(stream.name) has no fragments in that range") }
        let file = plan.file
        var headers: HTTPFields = [.contentType: "video/mp4", .acceptRanges: "bytes"]
        headers[HTTPField.Name("X-Videod-Fragments")!] = String(plan.fragments.count)
        if plan.truncated { headers[HTTPField.Name("X-Videod-Truncated")!] = "true" }
        headers[Self.layoutHeader] = plan.reused ? "cached" : "made"
        let status: HTTPResponse.Status
        let served: Range<Int>
        switch ByteRangeRequest(header: request.headers[.range], length: file.contentLength) {
        case .whole:
            (status, served) = (.ok, 0..<file.contentLength)
        case .part(let part):
            (status, served) = (.partialContent, part)
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(file.contentLength)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.contentLength)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
        let body = ResponseBody(contentLength: served.count) { writer in
            var position = served.lowerBound
            while position < served.upperBound {
                let next = min(served.upperBound, position + Self.readSize)
                let piece = position..<next
                try await writer.write(try await blocking { try file.read(piece, from: store) })
                position = next
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }
}
