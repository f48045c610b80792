/// What a protocol front end knows when a push begins.
public struct IngestRequest: Sendable {
    public var streamName: String
    /// The declared container (an HTTP Content-Type), if any; otherwise the first bytes decide.
    public var contentType: String?
    /// Producer time of the first frame, microseconds since the epoch, when the device said so.
    public var producerStart: Int64?
    /// "http", "rtsp", "rtsp-pull", "tcp".
    public var source: String
    public var remoteAddress: String?
    /// For pulls: the URL without credentials.
    public var url: String?
    /// Producer time at the container's time zero, when the container's timestamps are on the
    /// producer's clock (PutMedia: the start timestamp for RELATIVE timecodes, 0 for ABSOLUTE).
    public var producerZero: Int64?
    /// Where the producer cut its fragments, when it does (PutMedia clusters).
    public var producerFragments: ProducerFragmentBoundaries?
    /// Observers of this session alone, beside the service's (PutMedia acknowledgements).
    public var observers: [any IngestObserver] = []

    public init(streamName: String, contentType: String? = nil, producerStart: Int64? = nil, source: String = "http",
                remoteAddress: String? = nil, url: String? = nil) {
        self.streamName = streamName
        self.contentType = contentType
        self.producerStart = producerStart
        self.source = source
        self.remoteAddress = remoteAddress
        self.url = url.map(URLRedaction.redact)
    }
}
