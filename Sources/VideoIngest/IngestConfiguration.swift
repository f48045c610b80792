import Fragments

/// Settings every ingest session shares.
public struct IngestConfiguration: Sendable {
    public var fragmenter: Fragmenter.Configuration
    /// Create a stream on its first push; when false, pushing to an unknown stream fails.
    public var autoCreateStreams: Bool
    /// Bytes buffered between the socket and the demuxer before the socket is pushed back on.
    public var bufferBytes: Int

    public init(fragmenter: Fragmenter.Configuration = .init(), autoCreateStreams: Bool = true, bufferBytes: Int = 4 << 20) {
        self.fragmenter = fragmenter
        self.autoCreateStreams = autoCreateStreams
        self.bufferBytes = bufferBytes
    }
}
