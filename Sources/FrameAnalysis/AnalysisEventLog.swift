/// Where analysis events are published and read back: the data stream that holds them, behind a
/// seam because frame analysis knows neither the data streams nor their wire formats.
/// Called on analyser threads and off the event loops; implementations may block.
public protocol AnalysisEventLog: Sendable {
    /// Publishes one event into the data stream its stream's settings name.
    func publish(_ event: AnalysisEvent, settings: AnalysisSettings) throws
    /// Makes sure `dataStream` exists, so that consumers can start reading before the first event.
    func prepare(dataStream: String) throws
    /// A page of the events of one video stream retained in `dataStream`, in the order they were
    /// published, from `position` (0: the oldest), looking at no more than `scanLimit` records;
    /// records that are not events are skipped.
    func events(ofStream streamName: String, in dataStream: String, from position: Int64, scanLimit: Int) throws -> EventPage
}

/// Published events read back, with where each ends in the log (to continue after it).
public struct EventPage: Sendable {
    public var events: [(event: EventRecord, after: Int64)]
    /// Where the next page starts; nil at the end of the log.
    public var next: Int64?

    public init(events: [(event: EventRecord, after: Int64)], next: Int64?) {
        self.events = events
        self.next = next
    }
}
