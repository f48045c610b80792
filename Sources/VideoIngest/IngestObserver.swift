import Fragments
import Media

/// Watches what ingest sessions store (the frame analyser subscribes through this). Called on
/// the session's thread: implementations must hand work off and never block ingest.
public protocol IngestObserver: Sendable {
    /// A session's video track is known; returns the tap that follows this session, or nil.
    func sessionStarted(streamName: String, video: CodecParameters) -> (any IngestTap)?
}

/// One session's view for an observer, in the order ingest sees things.
public protocol IngestTap: AnyObject {
    /// A video packet about to be stored: the tap's own reference, with pts and dts in µs on the
    /// producer clock (the time fragments are indexed by).
    func video(_ packet: Packet, serverTime: Int64)
    /// A fragment was stored (durably); frames at its times now resolve to its number.
    func fragmentStored(_ fragment: FragmentRecord)
    /// The session ended (normally or not); no more calls follow.
    func sessionEnded()
}
