import Primitives

/// The JSON an analysis event carries in its data-stream record (and in
/// `GET /streams/{name}/events`). Times appear twice: epoch seconds for code, RFC 3339 for people.
public struct EventRecord: Codable, Sendable, Equatable {
    public struct Motion: Codable, Sendable, Equatable {
        var durationSeconds: Double?
        var peakArea: Double
        var boundingBox: BoundingBox
        var startTimestamp: Double?
    }

    public struct SceneChange: Codable, Sendable, Equatable {
        var score: Double
        var contentDelta: Double
        /// "cut" (one frame to the next) or "gradual" (a dissolve or fade from the event's time
        /// to `endTimestamp`); absent in events published before gradual transitions were found.
        var transition: String?
        var startTimestamp: Double?
        var endTimestamp: Double?
    }

    /// Where to replay the event: URLs of the API that serves the archive, made by whoever
    /// publishes (frame analysis knows no URLs).
    public struct Links: Codable, Sendable, Equatable {
        /// The fragment holding the event's frame (fMP4).
        public var fragment: String?
        /// The recording from a few seconds before to a few seconds after the event (fMP4).
        public var media: String
        /// The stream's events around this one.
        public var events: String
        /// The same span as `media`, as a progressive MP4 a browser can seek in (absent in events
        /// published before clips existed).
        public var clip: String?
        /// The picture at the event's instant (JPEG).
        public var image: String?

        public init(fragment: String?, media: String, events: String, clip: String? = nil, image: String? = nil) {
            self.fragment = fragment
            self.media = media
            self.events = events
            self.clip = clip
            self.image = image
        }
    }

    public var eventId: String
    public var eventType: String
    public var streamName: String
    public var streamArn: String
    public var producerTimestamp: Double
    public var producerTime: String
    public var serverTimestamp: Double
    public var serverTime: String
    public var fragmentNumber: String?
    public var motion: Motion?
    public var sceneChange: SceneChange?
    public var links: Links

    /// Microseconds of recording before and after an event that its media link covers.
    public static let mediaMargin: Int64 = 5_000_000

    /// The span an event's media link covers: from a margin before it (before its motion's start,
    /// for a MOTION_END) to a margin after it, producer time.
    public static func replaySpan(of event: AnalysisEvent) -> (start: Int64, end: Int64) {
        ((event.motionStart ?? event.producerTime) - mediaMargin, event.producerTime + mediaMargin)
    }

    public init(_ event: AnalysisEvent, streamArn: String, links: Links) {
        eventType = event.kind.rawValue
        eventId = "\(event.streamName):\(event.kind.rawValue):\(event.producerTime)"
        streamName = event.streamName
        self.streamArn = streamArn
        producerTimestamp = Timestamp.seconds(event.producerTime)
        producerTime = Timestamp.rfc3339(event.producerTime)
        serverTimestamp = Timestamp.seconds(event.serverTime)
        serverTime = Timestamp.rfc3339(event.serverTime)
        fragmentNumber = event.fragmentNumber
        motion = event.motion.map {
            Motion(durationSeconds: $0.duration, peakArea: $0.peakArea, boundingBox: $0.box,
                   startTimestamp: event.motionStart.map(Timestamp.seconds))
        }
        if let score = event.sceneScore {
            let gradual = event.sceneTransition == .gradual
            sceneChange = SceneChange(score: score, contentDelta: event.contentDelta ?? 0, transition: event.sceneTransition?.rawValue,
                                      startTimestamp: gradual ? Timestamp.seconds(event.producerTime) : nil,
                                      endTimestamp: event.transitionEnd.map(Timestamp.seconds))
        }
        self.links = links
    }
}
