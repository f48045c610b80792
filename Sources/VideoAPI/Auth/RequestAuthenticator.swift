import Credentials
import Foundation
import HTTPTypes
import Hummingbird

/// Checks requests against the configured access keys. AWS-protocol routes verify SigV4 over the
/// body they read; the native routes (pushes from ffmpeg, browsers) accept SigV4 signed with
/// `x-amz-content-sha256` or HTTP Basic auth with the access key as user and the secret as password.
public struct RequestAuthenticator: Sendable {
    public let keys: AccessKeys
    let verifier: SigV4Verifier

    public init(keys: AccessKeys) {
        self.keys = keys
        verifier = SigV4Verifier(keys: keys)
    }

    /// SigV4 over a request whose whole body is `body`.
    func verifySigned(_ request: Request, body: Data) throws {
        _ = try verifier.verify(Self.input(request, payloadHash: SigV4Verifier.sha256Hex(body)))
    }

    /// Basic auth, or SigV4 without reading the body.
    func verifyNative(_ request: Request) throws {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Basic ") {
            guard BasicCredentials.prove(String(authorization.dropFirst(6)), against: keys) else {
                throw SigV4Verifier.Failure(code: "UnrecognizedClientException", message: "Unknown access key or wrong secret", status: 401)
            }
            return
        }
        guard request.headers[.authorization] != nil else {
            // A challenge, so that browsers and ffmpeg know to send Basic credentials.
            throw SigV4Verifier.Failure(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 401)
        }
        _ = try verifier.verify(Self.input(request, payloadHash: nil))
    }

    static func input(_ request: Request, payloadHash: String?) -> SigV4Verifier.Input {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + "," + field.value } ?? field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        return SigV4Verifier.Input(method: request.method.rawValue, path: request.uri.path,
                                   query: request.uri.query ?? "", headers: headers, payloadHash: payloadHash)
    }
}

/// Applies `RequestAuthenticator.verifyNative` to every route except the AWS JSON endpoint
/// (`POST /`, which verifies with the body) and `/health`.
public struct NativeAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: RequestAuthenticator

    public init(authenticator: RequestAuthenticator) {
        self.authenticator = authenticator
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        let exempt = request.uri.path == "/health" || (request.method == .post && request.uri.path == "/")
        if !exempt {
            do {
                try authenticator.verifyNative(request)
            } catch let failure as SigV4Verifier.Failure {
                var headers: HTTPFields = [.contentType: "application/json"]
                if failure.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"videod\"" }
                let body = "{\"error\":\"\(failure.code)\",\"message\":\"\(failure.message.replacingOccurrences(of: "\"", with: "'"))\"}\n"
                return Response(status: .init(code: failure.status), headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }
        return try await next(request, context)
    }
}
