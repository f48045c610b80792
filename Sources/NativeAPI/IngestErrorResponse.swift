import Hummingbird
import RouteSupport
import VideoIngest

extension APIError {
    /// The HTTP form of an ingest failure.
    init(_ error: IngestError) {
        switch error {
        case .unsupportedContainer(let m): self.init(.unsupportedMediaType, "UnsupportedContainer", m)
        case .unsupportedCodec(let m): self.init(.unsupportedMediaType, "UnsupportedCodec", m)
        case .malformedMedia(let m): self.init(.badRequest, "MalformedMedia", m)
        case .streamBusy(let m): self.init(.conflict, "ResourceInUse", m)
        case .overloaded(let m), .shuttingDown(let m): self.init(.serviceUnavailable, "ServiceUnavailable", m)
        case .streamNotFound(let m): self.init(.notFound, "ResourceNotFound", m)
        case .invalidStreamName(let m): self.init(.badRequest, "InvalidStreamName", m)
        case .storage(let m): self.init(.internalServerError, "StorageError", m)
        }
    }

    /// An ingest error that still reports what was stored before the fault.
    func withSummary(_ summary: IngestSummary) -> Response {
        JSONResponse.make(status: status, Body(error: code, message: message, stored: summary))
    }

    private struct Body: Encodable {
        let error: String
        let message: String
        let stored: IngestSummary
    }
}
