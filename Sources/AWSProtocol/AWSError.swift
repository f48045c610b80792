/// An AWS error as the SDKs read it: the error code (botocore's `Error.Code`, the `__type` of the
/// JSON protocols and the `x-amzn-ErrorType` header), a message, and the HTTP status.
public struct AWSError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let status: Int

    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code): \(message)" }

    public static func invalidArgument(_ m: String) -> AWSError { .init("InvalidArgumentException", m) }
    public static func validation(_ m: String) -> AWSError { .init("ValidationException", m) }
    public static func notFound(_ m: String, status: Int = 400) -> AWSError { .init("ResourceNotFoundException", m, status: status) }
    public static func inUse(_ m: String) -> AWSError { .init("ResourceInUseException", m) }
    public static func limitExceeded(_ m: String) -> AWSError { .init("LimitExceededException", m) }
    public static func serialization(_ m: String) -> AWSError { .init("SerializationException", m) }
    public static func internalFailure(_ m: String) -> AWSError { .init("InternalFailureException", m, status: 500) }
    public static func notImplemented(_ operation: String) -> AWSError {
        .init("NotImplemented", "\(operation) is not supported by videod", status: 501)
    }
}
