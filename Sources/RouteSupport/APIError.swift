import Foundation
import Hummingbird

/// A failure of a native (non-AWS) route, rendered as JSON:
/// `{"error": "<Code>", "message": "<what went wrong>"}`.
public struct APIError: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func invalidArgument(_ message: String) -> APIError { APIError(.badRequest, "InvalidArgument", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "ResourceNotFound", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: status, ErrorBody(error: code, message: message))
    }

    private struct ErrorBody: Encodable {
        let error: String
        let message: String
    }
}
