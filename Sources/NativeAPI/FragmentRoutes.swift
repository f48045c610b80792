import Fragments
import Hummingbird
import Playback
import RouteSupport

/// `GET /streams/{name}/fragments` (listing) and `GET /streams/{name}/fragments/{number}` (media).
struct FragmentRoutes: Sendable {
    let store: FragmentStore
    static let defaultLimit = 100
    static let maxLimit = 1000

    @Sendable func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let range = try TimeRangeQuery(request)
        let paging = try PageQuery(request, defaultLimit: Self.defaultLimit, maxLimit: Self.maxLimit,
                                   decode: { PageToken.decode($0, kind: range.kind) },
                                   tokenProblem: "next is not a token from a listing with the same timestamps")
        let store = self.store
        let (after, pageSize) = (paging.after, paging.limit)
        let page = try await blocking {
            try FragmentPage.read(store, streamID: stream.id, kind: range.kind, from: range.start, to: range.end,
                                  after: after, limit: pageSize)
        }
        return JSONResponse.make(FragmentList(fragments: page.fragments.map(FragmentDescription.init), next: page.next))
    }

    /// One fragment as a playable fMP4: its init segment followed by its moof+mdat.
    @Sendable func media(_ request: Request, context: some RequestContext) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let text = try context.parameters.require("number")
        guard let number = FragmentNumber(text) else { throw APIError.invalidArgument("fragment number must be an integer") }
        let store = self.store
        let bytes = try await blocking {
            try MediaRange.singleFragment(store, streamID: stream.id, number: number)
        }
        guard let bytes else { throw APIError.notFound("fragment \(text) is not in stream \(stream.name)") }
        return Response(status: .ok, headers: [.contentType: "video/mp4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private struct FragmentList: Encodable {
        let fragments: [FragmentDescription]
        let next: String?
    }
}
