import AWSProtocol
import Foundation
import Hummingbird

/// How the AWS-protocol routes take a request body: the caller's signature header is checked
/// before any of the body is read (a stranger cannot make the server hold a large body), the
/// body is read up to the operation's limit, then the signature is verified over it. Failures
/// are `AWSError`s for the protocol's error shape. `authenticator` nil: authentication off.
public enum SignedBody {
    public static func precheck(_ request: Request, authenticator: RequestAuthenticator?) throws {
        guard let authenticator else { return }
        do {
            try authenticator.precheck(request)
        } catch let failure as SigV4Verifier.Failure {
            throw AWSError(failure.code, failure.message, status: failure.status)
        }
    }

    /// A streaming upload (PutMedia) signed over its headers only; see
    /// `RequestAuthenticator.verifyHeaderSigned`.
    public static func verifyHeaders(_ request: Request, authenticator: RequestAuthenticator?) throws {
        guard let authenticator else { return }
        do {
            try authenticator.verifyHeaderSigned(request)
        } catch let failure as SigV4Verifier.Failure {
            throw AWSError(failure.code, failure.message, status: failure.status)
        }
    }

    public static func read(_ request: Request, authenticator: RequestAuthenticator?, limit: Int,
                            operation: String) async throws -> Data {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw AWSError.invalidArgument("The \(operation) request body is larger than \(limit) bytes")
        }
        let bytes = Data(buffer: body)
        if let authenticator {
            do {
                try authenticator.verifySigned(request, body: bytes)
            } catch let failure as SigV4Verifier.Failure {
                throw AWSError(failure.code, failure.message, status: failure.status)
            }
        }
        return bytes
    }
}
