import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// AWS's error shape for the JSON and CBOR protocols: a body with `__type` and `message` (which
/// botocore reads) and the `x-amzn-ErrorType` header (which the Java and Go SDKs read).
public enum AWSErrorResponse {
    public enum Encoding: Sendable {
        case json(contentType: String)
        case cbor
        /// The REST-JSON protocol (Kinesis Video): `application/json`, the message also as `Message`.
        case restJSON

        var contentType: String {
            switch self {
            case .json(let type): type
            case .cbor: "application/x-amz-cbor-1.1"
            case .restJSON: "application/json"
            }
        }
    }

    /// The headers every AWS response carries: its content type and a request id.
    public static func headers(requestID: String, encoding: Encoding) -> HTTPFields {
        var headers: HTTPFields = [.contentType: encoding.contentType]
        headers[.amznRequestID] = requestID
        return headers
    }

    public static func make(_ error: AWSError, requestID: String, encoding: Encoding) -> Response {
        var headers = headers(requestID: requestID, encoding: encoding)
        headers[.amznErrorType] = error.code
        let members: AWSValue = ["__type": .string(error.code), "message": .string(error.message)]
        let body: [UInt8]
        switch encoding {
        case .json: body = JSONWriter.encode(members)
        case .cbor: body = CBORWire.encode(members)
        case .restJSON:
            body = JSONWriter.encode(["__type": .string(error.code), "message": .string(error.message), "Message": .string(error.message)])
        }
        return Response(status: .init(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPField.Name {
    /// Made once: a name is validated and lowercased each time one is built, on every request.
    static let amznRequestID = HTTPField.Name("x-amzn-RequestId")!
    static let amznErrorType = HTTPField.Name("x-amzn-ErrorType")!
}
