import Foundation
import Hummingbird
import VideoIngest

/// An API failure rendered as JSON: `{"error": "<Code>", "message": "<what went wrong>"}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func invalidArgument(_ message: String) -> APIError { APIError(.badRequest, "InvalidArgument", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "ResourceNotFound", message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: status, ErrorBody(error: code, message: message))
    }

    private struct ErrorBody: Encodable {
        let error: String
        let message: String
    }

    /// The HTTP form of an ingest failure.
    init(_ error: IngestError) {
        switch error {
        case .unsupportedContainer(let m): self.init(.unsupportedMediaType, "UnsupportedContainer", m)
        case .unsupportedCodec(let m): self.init(.unsupportedMediaType, "UnsupportedCodec", m)
        case .malformedMedia(let m): self.init(.badRequest, "MalformedMedia", m)
        case .streamBusy(let m): self.init(.conflict, "ResourceInUse", m)
        case .streamNotFound(let m): self.init(.notFound, "ResourceNotFound", m)
        case .invalidStreamName(let m): self.init(.badRequest, "InvalidStreamName", m)
        case .storage(let m): self.init(.internalServerError, "StorageError", m)
        }
    }
}

enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
