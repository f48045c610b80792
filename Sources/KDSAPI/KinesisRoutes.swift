import AWSProtocol
import DataStreams
import Foundation
import HTTPTypes
import Hummingbird
import RouteSupport

/// The Kinesis Data Streams protocol: `POST /` with `X-Amz-Target: Kinesis_20131202.<Operation>`,
/// in JSON 1.1 (boto3, the aws CLI) or CBOR 1.1 (the Java SDKs' default, hence KCL), chosen by
/// Content-Type. Routing is on the header, not the path.
public struct KinesisRoutes: Sendable {
    let service: DataStreamService
    let authenticator: RequestAuthenticator?
    static let targetPrefix = "Kinesis_20131202."
    /// PutRecords (and PutRecord, to a stream of 10 MiB records) carries up to 10 MiB of data,
    /// about 14 MB once base64'd into JSON; every other request is small.
    static let maxRecordsBody = 16 << 20
    static let maxOtherBody = 1 << 20

    static func maxBody(_ operation: String) -> Int {
        operation == "PutRecords" || operation == "PutRecord" ? maxRecordsBody : maxOtherBody
    }

    /// - Parameter authenticator: nil when no access keys are configured (authentication off).
    static let targetHeader = HTTPField.Name("X-Amz-Target")!

    public init(service: DataStreamService, authenticator: RequestAuthenticator?) {
        self.service = service
        self.authenticator = authenticator
    }

    /// Registers `POST /`. The routes verify SigV4 themselves, over the body they read, so the
    /// group needs no authentication middleware.
    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        router.post("/", use: handle)
    }

    @Sendable func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let requestID = UUID().uuidString
        let bytes: Data
        let operation: String
        do {
            try SignedBody.precheck(request, authenticator: authenticator)
            guard let target = request.headers[Self.targetHeader], target.hasPrefix(Self.targetPrefix) else {
                throw AWSError("UnknownOperationException", "Missing or unknown X-Amz-Target")
            }
            operation = String(target.dropFirst(Self.targetPrefix.count))
            bytes = try await SignedBody.read(request, authenticator: authenticator, limit: Self.maxBody(operation), operation: operation)
        } catch let error as AWSError {
            return Self.error(error, requestID)
        }
        let cbor = request.headers[.contentType]?.contains("cbor") ?? false
        let service = self.service
        let result: Result<Data, AWSError> = try await blocking {
            do {
                if operation == "PutRecords", !cbor, let input = PutRecordsJSON.decode([UInt8](bytes)) {
                    return .success(Data(PutRecordsJSON.encode(try service.putRecords(input))))
                }
                let object = bytes.isEmpty ? AWSValue.object([:]) : try (cbor ? CBORWire.decode(bytes) : JSONReader.parse(bytes))
                guard case .object(let members) = object else {
                    throw AWSError.serialization("The request body must be an object")
                }
                let response = try service.handle(operation, RequestMembers(values: members))
                return .success(Data(cbor ? CBORWire.encode(response) : JSONWriter.encode(response)))
            } catch let error as AWSError {
                return .failure(error)
            } catch {
                return .failure(AWSError.serialization("Could not parse the request body as \(cbor ? "CBOR" : "JSON")"))
            }
        }
        switch result {
        case .success(let data):
            return Response(status: .ok, headers: Self.headers(requestID, cbor: cbor), body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .failure(let error):
            return Self.error(error, requestID, cbor: cbor)
        }
    }

    static func encoding(cbor: Bool) -> AWSErrorResponse.Encoding {
        cbor ? .cbor : .json(contentType: "application/x-amz-json-1.1")
    }

    static func headers(_ requestID: String, cbor: Bool = false) -> HTTPFields {
        AWSErrorResponse.headers(requestID: requestID, encoding: encoding(cbor: cbor))
    }

    static func error(_ error: AWSError, _ requestID: String, cbor: Bool = false) -> Response {
        AWSErrorResponse.make(error, requestID: requestID, encoding: encoding(cbor: cbor))
    }
}
