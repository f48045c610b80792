import AWSProtocol
import HTTPTypes
import Hummingbird

/// Guards a route group with `RequestAuthenticator.verifyWithoutBody` (Basic, or SigV4 with the
/// payload hash in a header): for routes whose bodies are long-lived streams or absent. A SigV4
/// request that carries a body must sign its real hash (`UNSIGNED-PAYLOAD` is refused: the body
/// changes state), and the body is checked against it as it is read. Failures are the native
/// error shape, with a Basic challenge on 401.
public struct HeaderAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: RequestAuthenticator

    public init(authenticator: RequestAuthenticator) {
        self.authenticator = authenticator
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        do {
            if let payloadHash = try authenticator.verifyWithoutBody(request), Self.mayHaveBody(request) {
                guard payloadHash.utf8.count == 64, payloadHash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                    throw SigV4Verifier.Failure(code: "InvalidSignatureException",
                                                message: "A request with a body must sign its SHA-256 in x-amz-content-sha256 (not \(payloadHash))",
                                                status: 403)
                }
                request.body = RequestBody(asyncSequence: HashCheckedBody(base: request.body, expected: payloadHash))
            }
        } catch let failure as SigV4Verifier.Failure {
            var headers: HTTPFields = [.contentType: "application/json"]
            if failure.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"videod\"" }
            let body = "{\"error\":\"\(failure.code)\",\"message\":\"\(failure.message.replacingOccurrences(of: "\"", with: "'"))\"}\n"
            return Response(status: .init(code: failure.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return try await next(request, context)
    }

    /// Methods whose requests change state with a body.
    static func mayHaveBody(_ request: Request) -> Bool {
        request.method == .post || request.method == .put || request.method == .patch
    }
}
