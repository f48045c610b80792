import FrameAnalysis
import Primitives

/// URLs of the native API, for links that leave the server (in analysis events).
public enum NativeLinks {
    /// Where to replay an event: its fragment, the recording around it (fMP4 and a seekable MP4),
    /// its picture, the events around it.
    public static func event(_ event: AnalysisEvent, baseURL: String) -> EventRecord.Links {
        let stream = "\(baseURL)/streams/\(event.streamName)"
        let span = EventRecord.replaySpan(of: event)
        let range = "start=\(Timestamp.rfc3339(span.start))&end=\(Timestamp.rfc3339(span.end))"
        return EventRecord.Links(fragment: event.fragmentNumber.map { "\(stream)/fragments/\($0)" },
                                 media: "\(stream)/media?\(range)", events: "\(stream)/events?\(range)",
                                 clip: "\(stream)/clip.mp4?\(range)",
                                 image: "\(stream)/image.jpg?t=\(Timestamp.rfc3339(event.producerTime))")
    }
}
