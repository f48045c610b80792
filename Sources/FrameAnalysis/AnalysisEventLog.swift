/// Where analysis events are published and read back: the data stream that holds them, behind a
/// seam because frame analysis knows neither the data streams nor their wire formats.
/// Called on analyser threads and off the event loops; implementations may block.
public protocol AnalysisEventLog: Sendable {
    /// Publishes one event into the data stream its stream's settings name.
    func publish(_ event: AnalysisEvent, settings: AnalysisSettings) throws
    /// Makes sure `dataStream` exists, so that consumers can start reading before the first event.
    func prepare(dataStream: String) throws
    /// The events of one video stream retained in `dataStream`, in any order; records that are
    /// not events are skipped.
    func events(ofStream streamName: String, in dataStream: String) throws -> [EventRecord]
}
