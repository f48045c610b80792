import AWSProtocol
import HTTPTypes
import Hummingbird

/// Guards a route group with `RequestAuthenticator.verifyWithoutBody` (Basic, or SigV4 with the
/// payload hash in a header): for routes whose bodies are long-lived streams or absent. Failures
/// are the native error shape, with a Basic challenge on 401.
public struct HeaderAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: RequestAuthenticator

    public init(authenticator: RequestAuthenticator) {
        self.authenticator = authenticator
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            try authenticator.verifyWithoutBody(request)
        } catch let failure as SigV4Verifier.Failure {
            var headers: HTTPFields = [.contentType: "application/json"]
            if failure.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"videod\"" }
            let body = "{\"error\":\"\(failure.code)\",\"message\":\"\(failure.message.replacingOccurrences(of: "\"", with: "'"))\"}\n"
            return Response(status: .init(code: failure.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return try await next(request, context)
    }
}
