import Fragments
import Media
import Metrics
import Primitives
import VideoIngest

/// Follows every ingest session for the metrics: fragments and bytes stored per stream, the time
/// from a fragment's end to its being stored (and listable), and the sessions open.
final class IngestMetrics: IngestObserver {
    let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    func sessionStarted(streamName: String, video: CodecParameters) -> (any IngestTap)? {
        Tap(stream: streamName, metrics: metrics)
    }

    private final class Tap: IngestTap {
        let fragments: Metrics.Counter
        let bytes: Metrics.Counter
        let storeLatency: Metrics.Timer
        let sessions: Metrics.Meter

        init(stream: String, metrics: ServerMetrics) {
            fragments = metrics.counter("videod_ingest_fragments_total", [("stream", stream)])
            bytes = metrics.counter("videod_ingest_bytes_total", [("stream", stream)])
            storeLatency = metrics.timer("videod_fragment_store_latency_seconds", [("stream", stream)])
            sessions = metrics.gauge("videod_ingest_sessions")
            sessions.increment()
        }

        func video(_ packet: Packet, serverTime: Int64) {}

        func fragmentStored(_ fragment: FragmentRecord) {
            fragments.increment()
            bytes.increment(by: fragment.size)
            // From the server time its last frame arrived by (start + duration) to now.
            let end = fragment.serverStart.addingReportingOverflow(fragment.duration).partialValue
            storeLatency.recordMicroseconds(max(0, WallClock.now() &- end))
        }

        func sessionEnded() {
            sessions.decrement()
        }
    }
}
