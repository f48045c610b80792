import FrameAnalysis

/// The JSON an analysis event carries in its data-stream record (and in
/// `GET /streams/{name}/events`). Times appear twice: epoch seconds for code, RFC 3339 for people.
struct EventRecord: Codable, Sendable, Equatable {
    struct Motion: Codable, Sendable, Equatable {
        var durationSeconds: Double?
        var peakArea: Double
        var boundingBox: BoundingBox
        var startTimestamp: Double?
    }

    struct SceneChange: Codable, Sendable, Equatable {
        var score: Double
        var contentDelta: Double
    }

    struct Links: Codable, Sendable, Equatable {
        /// The fragment holding the event's frame (fMP4).
        var fragment: String?
        /// The recording from a few seconds before to a few seconds after the event (fMP4).
        var media: String
        /// The stream's events around this one.
        var events: String
    }

    var eventId: String
    var eventType: String
    var streamName: String
    var streamArn: String
    var producerTimestamp: Double
    var producerTime: String
    var serverTimestamp: Double
    var serverTime: String
    var fragmentNumber: String?
    var motion: Motion?
    var sceneChange: SceneChange?
    var links: Links

    /// Seconds of recording before and after an event that its media link covers.
    static let mediaMargin: Int64 = 5_000_000

    init(_ event: AnalysisEvent, streamArn: String, baseURL: String) {
        let stream = "\(baseURL)/streams/\(event.streamName)"
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
            sceneChange = SceneChange(score: score, contentDelta: event.contentDelta ?? 0)
        }
        let from = (event.motionStart ?? event.producerTime) - Self.mediaMargin
        let to = event.producerTime + Self.mediaMargin
        links = Links(fragment: event.fragmentNumber.map { "\(stream)/fragments/\($0)" },
                      media: "\(stream)/media?start=\(Timestamp.rfc3339(from))&end=\(Timestamp.rfc3339(to))",
                      events: "\(stream)/events?start=\(Timestamp.rfc3339(from))&end=\(Timestamp.rfc3339(to))")
    }
}
