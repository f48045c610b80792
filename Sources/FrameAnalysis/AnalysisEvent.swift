/// One detected event, before it is published. Times are µs since the epoch.
public struct AnalysisEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case motionStart = "MOTION_START", motionEnd = "MOTION_END", sceneChange = "SCENE_CHANGE" }

    public struct Motion: Sendable, Equatable {
        /// Seconds from start to end (MOTION_END only).
        public var duration: Double?
        /// Largest moving area seen so far, fraction of the picture.
        public var peakArea: Double
        public var box: BoundingBox
    }

    public var kind: Kind
    public var streamName: String
    /// The frame's time on the producer clock (as fragments are indexed).
    public var producerTime: Int64
    /// When the frame reached the server.
    public var serverTime: Int64
    /// The stored fragment holding the frame, once it is known.
    public var fragmentNumber: String?
    public var motion: Motion?
    /// SCENE_CHANGE: the cut's score (its difference over its neighbours').
    public var sceneScore: Double?
    public var contentDelta: Double?
    /// SCENE_CHANGE: "cut" or "gradual"; a gradual one's last frame (it starts at `producerTime`).
    public var sceneTransition: SceneDetector.Transition?
    public var transitionEnd: Int64?
    /// Start of the motion event this MOTION_END closes (producer time).
    public var motionStart: Int64?
}
