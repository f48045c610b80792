/// Why an ingest session ended badly, in terms a protocol front end can map to its own
/// status codes (HTTP 4xx, an RTSP status, a PutMedia error ack).
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a container videod accepts.
    case unsupportedContainer(String)
    /// The container is fine but a track's codec is not.
    case unsupportedCodec(String)
    /// The input ended mid-way or was corrupt after some fragments were stored.
    case malformedMedia(String)
    /// Another session is already pushing to this stream.
    case streamBusy(String)
    case streamNotFound(String)
    /// The server already runs as many sessions as it is configured for.
    case overloaded(String)
    /// The server is shutting down and takes no new session.
    case shuttingDown(String)
    case invalidStreamName(String)
    /// The server could not store what it received.
    case storage(String)

    public var description: String {
        switch self {
        case .unsupportedContainer(let m), .unsupportedCodec(let m), .malformedMedia(let m), .streamBusy(let m),
             .streamNotFound(let m), .invalidStreamName(let m), .storage(let m), .overloaded(let m),
             .shuttingDown(let m):
            return m
        }
    }
}
