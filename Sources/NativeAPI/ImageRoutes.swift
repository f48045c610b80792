import Fragments
import Hummingbird
import HTTPTypes
import Media
import NIOCore
import Playback
import Primitives
import RouteSupport

/// `GET /streams/{name}/image.jpg?t=…&width=…&height=…` (or `image.png`): the picture showing at
/// `t` (the frame at or before it), decoded from its fragment's key frame, scaled and encoded.
struct ImageRoutes: Sendable {
    let store: FragmentStore
    let cache: ImageCache

    @Sendable func jpeg(_ request: Request, context: some RequestContext) async throws -> Response {
        let quality = try Self.number(request, "quality", 1...100) ?? 80
        return try await image(request, context, format: .jpeg(quality: quality), type: "image/jpeg")
    }

    @Sendable func png(_ request: Request, context: some RequestContext) async throws -> Response {
        try await image(request, context, format: .png, type: "image/png")
    }

    private func image(_ request: Request, _ context: some RequestContext, format: ImageEncoder.Format, type: String) async throws -> Response {
        let stream = try await NativeRoutes.stream(store, context)
        let query = request.uri.queryParameters
        guard let text = query.get("t"), let instant = Timestamp.parse(text) else {
            throw APIError.invalidArgument("t is required: RFC 3339 (2026-11-26T17:00:00Z) or epoch seconds (1795712400.5)")
        }
        guard let kind = TimestampKind(rawValue: query.get("timestamps") ?? "producer") else {
            throw APIError.invalidArgument("timestamps must be producer or server")
        }
        let width = try Self.number(request, "width", 1...3840), height = try Self.number(request, "height", 1...2160)
        let (store, cache) = (self.store, self.cache)
        let (outcomes, decodes) = try await blocking {
            try ArchiveImages(store: store, cache: cache).imagesCountingDecodes(
                .init(streamID: stream.id, kind: kind, width: width, height: height, format: format), at: [instant])
        }
        switch outcomes.first {
        case .image(let bytes)?:
            // Fragments never change once stored: a picture of the past can be cached by clients too.
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600",
                                                   Self.cacheHeader: decodes == 0 ? "hit" : "miss"],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .mediaError?:
            throw APIError(.internalServerError, "MediaError", "the stored media at that time did not decode")
        case .noMedia?, nil:
            throw APIError.notFound("stream \(stream.name) has no fragment at that time")
        }
    }

    /// Whether the image came from videod's image cache (`hit`) or was decoded (`miss`).
    static let cacheHeader = HTTPField.Name("X-Videod-Image-Cache")!

    /// An optional whole-number query parameter within `range`.
    static func number(_ request: Request, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard text.count <= 6, let value = Int(text), range.contains(value) else {
            throw APIError.invalidArgument("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
