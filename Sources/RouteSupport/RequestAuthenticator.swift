import AWSProtocol
import Credentials
import Foundation
import HTTPTypes
import Hummingbird

/// Checks Hummingbird requests against the configured access keys. Each route family picks its
/// way: AWS-protocol routes verify SigV4 over the body they read (`verifySigned`); routes that
/// must not wait for a body (pushes from ffmpeg, browsers, SSE) accept SigV4 whose payload hash
/// is in `x-amz-content-sha256`, or HTTP Basic with the access key as user and the secret as
/// password (`verifyWithoutBody`).
public struct RequestAuthenticator: Sendable {
    public let keys: AccessKeys
    let verifier: SigV4Verifier

    public init(keys: AccessKeys) {
        self.keys = keys
        verifier = SigV4Verifier(keys: keys)
    }

    /// The checks SigV4 allows before the body is read (header, key, date): see `SigV4Verifier.precheck`.
    public func precheck(_ request: Request) throws {
        try verifier.precheck(headers: Self.input(request, payloadHash: nil).headers)
    }

    /// SigV4 over a request whose whole body is `body`.
    public func verifySigned(_ request: Request, body: Data) throws {
        _ = try verifier.verify(Self.input(request, payloadHash: SigV4Verifier.sha256Hex(body)))
    }

    /// SigV4 over the headers of a streaming upload whose body the signature does not cover
    /// (PutMedia: producer SDKs sign the hash of the empty string, or name the hash they signed in
    /// `x-amz-content-sha256`).
    public func verifyHeaderSigned(_ request: Request) throws {
        let named = request.headers[HTTPField.Name("x-amz-content-sha256")!]
        _ = try verifier.verify(Self.input(request, payloadHash: named ?? SigV4Verifier.sha256Hex(Data())))
    }

    /// Basic auth, or SigV4 without reading the body. Returns the payload hash a SigV4 signature
    /// covered (`x-amz-content-sha256`), which the body must then match; nil for Basic.
    @discardableResult
    public func verifyWithoutBody(_ request: Request) throws -> String? {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Basic ") {
            guard BasicCredentials.prove(String(authorization.dropFirst(6)), against: keys) else {
                throw SigV4Verifier.Failure(code: "UnrecognizedClientException", message: "Unknown access key or wrong secret", status: 401)
            }
            return nil
        }
        guard request.headers[.authorization] != nil else {
            // A challenge, so that browsers and ffmpeg know to send Basic credentials.
            throw SigV4Verifier.Failure(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 401)
        }
        _ = try verifier.verify(Self.input(request, payloadHash: nil))
        return request.headers[HTTPField.Name("x-amz-content-sha256")!]
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
