/// The caches the replay routes share across API families (the native routes and Kinesis Video's
/// GetImages/GetClip answer from the same ones): one set per server.
public struct PlaybackCaches: Sendable {
    public let images: ImageCache
    public let clipLayouts: ClipLayoutCache

    /// - Parameters: sizes in bytes; 0 turns that cache off.
    public init(imageBytes: Int, clipLayoutBytes: Int) {
        images = ImageCache(maxBytes: imageBytes)
        clipLayouts = ClipLayoutCache(maxBytes: clipLayoutBytes)
    }

    /// No caching (tests and tools that make a service without a server).
    public static var none: PlaybackCaches { PlaybackCaches(imageBytes: 0, clipLayoutBytes: 0) }
}
