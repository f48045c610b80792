import Fragments

/// Settings every ingest session shares.
public struct IngestConfiguration: Sendable {
    public var fragmenter: Fragmenter.Configuration
    /// Create a stream on its first push; when false, pushing to an unknown stream fails.
    public var autoCreateStreams: Bool
    /// Bytes buffered between the socket and the demuxer before the socket is pushed back on.
    public var bufferBytes: Int
    /// A fragment is held in memory until it closes: a push whose fragment grows past this ends
    /// with `MalformedMedia` (what was stored before stays), so memory stays bounded.
    public var maxFragmentBytes: Int
    /// Sessions that may run at once (each is a thread and a few MiB of buffers); one more is
    /// refused as overloaded.
    public var maxSessions: Int
    /// A fragmented MP4 push is read by a fresh demuxer every this many `moof`s, which bounds the
    /// per-fragment index libav's mov demuxer keeps (`ChainedMP4Demuxer`).
    public var moofsPerDemuxer: Int

    public init(fragmenter: Fragmenter.Configuration = .init(), autoCreateStreams: Bool = true, bufferBytes: Int = 4 << 20,
                maxFragmentBytes: Int = 64 << 20, maxSessions: Int = 1000, moofsPerDemuxer: Int = 256) {
        self.maxSessions = maxSessions
        self.moofsPerDemuxer = moofsPerDemuxer
        self.fragmenter = fragmenter
        self.autoCreateStreams = autoCreateStreams
        self.bufferBytes = bufferBytes
        self.maxFragmentBytes = maxFragmentBytes
    }
}
