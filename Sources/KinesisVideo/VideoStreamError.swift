import AWSProtocol

/// Kinesis Video's errors, with the HTTP status its REST-JSON model gives each (botocore maps
/// the code to `client.exceptions.<Code>`).
enum VideoStreamError {
    static func notFound(_ m: String) -> AWSError { .init("ResourceNotFoundException", m, status: 404) }
    static func invalidArgument(_ m: String) -> AWSError { .init("InvalidArgumentException", m) }
    static func inUse(_ m: String) -> AWSError { .init("ResourceInUseException", m) }
    static func versionMismatch(_ m: String) -> AWSError { .init("VersionMismatchException", m) }
    static func tooManyTags(_ m: String) -> AWSError { .init("TagsPerResourceExceededLimitException", m) }
    static func invalidResourceFormat(_ m: String) -> AWSError { .init("InvalidResourceFormatException", m) }
    static func notAuthorized(_ m: String) -> AWSError { .init("NotAuthorizedException", m, status: 401) }
    static func noDataRetention(_ m: String) -> AWSError { .init("NoDataRetentionException", m) }
    static func notImplemented(_ operation: String) -> AWSError {
        .init("NotImplemented", "\(operation) is a cloud-only Kinesis Video operation that videod does not offer", status: 501)
    }
}
