/// A Kinesis Data Streams error: the `__type` code botocore reads, its message, and the HTTP status
/// (400 for every modelled error, as AWS answers; 500 for an internal failure; 501 not implemented).
public struct KinesisError: Error, Equatable, Sendable, CustomStringConvertible {
    public let type: String
    public let message: String
    public let status: Int

    public init(_ type: String, _ message: String, status: Int = 400) {
        self.type = type
        self.message = message
        self.status = status
    }

    public var description: String { "\(type): \(message)" }

    public static func invalidArgument(_ m: String) -> KinesisError { .init("InvalidArgumentException", m) }
    public static func validation(_ m: String) -> KinesisError { .init("ValidationException", m) }
    public static func notFound(_ m: String) -> KinesisError { .init("ResourceNotFoundException", m) }
    public static func inUse(_ m: String) -> KinesisError { .init("ResourceInUseException", m) }
    public static func expiredIterator(_ m: String) -> KinesisError { .init("ExpiredIteratorException", m) }
    public static func limitExceeded(_ m: String) -> KinesisError { .init("LimitExceededException", m) }
    public static func internalFailure(_ m: String) -> KinesisError { .init("InternalFailureException", m, status: 500) }
    public static func notImplemented(_ operation: String) -> KinesisError {
        .init("NotImplemented", "\(operation) is not supported by videod", status: 501)
    }
}
