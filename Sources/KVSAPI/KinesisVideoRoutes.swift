import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import KinesisVideo
import RouteSupport

/// Kinesis Video Streams over REST-JSON, as boto3's `kinesisvideo` and
/// `kinesis-video-archived-media` clients speak it: `POST /<operation path>` with a JSON body,
/// SigV4 over that body when keys are configured, errors as `x-amzn-ErrorType` plus a JSON body.
/// Control-plane and data-plane paths never collide, so one listener serves both (GetDataEndpoint
/// hands out this server's own URL).
public struct KinesisVideoRoutes: Sendable {
    let service: VideoStreamService
    let authenticator: RequestAuthenticator?
    /// Every request here is a small JSON document.
    static let maxBody = 1 << 20

    public init(service: VideoStreamService, authenticator: RequestAuthenticator?) {
        self.service = service
        self.authenticator = authenticator
    }

    /// REST paths are the operation names with a lower-case first letter, except the three
    /// resource-tag operations, which keep theirs.
    static func path(_ operation: String) -> String {
        let capitalised: Set = ["TagResource", "UntagResource", "ListTagsForResource"]
        return "/" + (capitalised.contains(operation) ? operation : operation.prefix(1).lowercased() + operation.dropFirst())
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        for operation in VideoStreamService.operations + VideoStreamService.cloudOnlyOperations {
            router.post(RouterPath(stringLiteral: Self.path(operation))) { request, _ in
                await handle(operation, request)
            }
        }
    }

    /// A REST-JSON request's members: signature checked before and over the body, which must be
    /// a JSON object (empty means no members).
    static func members(_ request: Request, authenticator: RequestAuthenticator?, operation: String) async throws -> RequestMembers {
        try SignedBody.precheck(request, authenticator: authenticator)
        let bytes = try await SignedBody.read(request, authenticator: authenticator, limit: maxBody, operation: operation)
        let value: AWSValue
        do {
            value = bytes.isEmpty ? .object([:]) : try JSONReader.parse(bytes)
        } catch {
            throw AWSError.serialization("The \(operation) request body is not JSON")
        }
        guard case .object(let members) = value else { throw AWSError.serialization("The request body must be a JSON object") }
        return RequestMembers(values: members)
    }

    func handle(_ operation: String, _ request: Request) async -> Response {
        let requestID = UUID().uuidString
        do {
            let members = try await Self.members(request, authenticator: authenticator, operation: operation)
            let service = self.service
            let response = try await blocking { try service.handle(operation, members) }
            return Response(status: .ok, headers: AWSErrorResponse.headers(requestID: requestID, encoding: .restJSON),
                            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.encode(response))))
        } catch let error as AWSError {
            return AWSErrorResponse.make(error, requestID: requestID, encoding: .restJSON)
        } catch {
            return AWSErrorResponse.make(AWSError.internalFailure("\(error)"), requestID: requestID, encoding: .restJSON)
        }
    }
}
