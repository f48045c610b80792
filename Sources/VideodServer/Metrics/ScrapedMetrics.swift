import DataStreams
import FrameAnalysis
import Foundation
import Playback
import VideoIngest

/// What is read when Prometheus scrapes rather than counted as it happens: analysis status per
/// stream (kept as running totals by the analysers), the playback caches, the data volume and the
/// process itself.
struct ScrapedMetrics: Sendable {
    let metrics: ServerMetrics
    let analysis: AnalysisService
    let dataStreams: DataStreamService
    let ingest: IngestService
    let caches: PlaybackCaches
    let dataDirectory: String

    func collect() {
        let statuses = analysis.statuses()
        for (stream, status) in statuses {
            let labels = [("stream", stream)]
            metrics.advance("videod_analysis_frames_decoded_total", labels, toTotal: Int64(status.framesDecoded))
            // The decode gate: pictures left undecoded, and its state (1 for the current one).
            metrics.advance("videod_analysis_pictures_skipped_total", labels, toTotal: Int64(status.picturesSkipped))
            for state in ["learning", "gating", "decoding-all", "off"] {
                metrics.gauge("videod_analysis_decode_gate", [("stream", stream), ("state", state)])
                    .set(status.decodeGate == state ? 1 : 0)
            }
            // Load shedding: packets refused while the queue was full, and packets decoded with
            // frames skipped.
            metrics.advance("videod_analysis_packets_dropped_total", labels, toTotal: Int64(status.packetsDropped))
            metrics.advance("videod_analysis_packets_reduced_total", labels, toTotal: Int64(status.packetsDecodedReduced))
            metrics.advance("videod_analysis_events_published_total", labels, toTotal: Int64(status.eventsPublished))
        }
        metrics.setPerStream("videod_analysis_lag_seconds", statuses.mapValues(\.lagSeconds))
        metrics.setPerStream("videod_analysis_queued_packets", statuses.mapValues { Double($0.queuedPackets) })
        // Live sources: bitrate and losses per receiving stream, sessions per protocol.
        var sessions = ["http": 0, "rtsp": 0, "rtsp-pull": 0, "tcp": 0]
        let sources = ingest.sources()
        for (stream, source) in sources {
            sessions[source.protocol, default: 0] += 1
            metrics.advance("videod_ingest_packets_lost_total", [("stream", stream)], toTotal: Int64(source.packetsLost))
        }
        metrics.setPerStream("videod_ingest_bitrate_bits_per_second", sources.mapValues(\.bitrate))
        for (source, count) in sessions {
            metrics.gauge("videod_ingest_sessions_by_protocol", [("protocol", source)]).set(count)
        }
        for (stream, totals) in dataStreams.traffic.byStream {
            metrics.advance("videod_kds_records_put_total", [("stream", stream)], toTotal: totals.put)
            metrics.advance("videod_kds_records_read_total", [("stream", stream)], toTotal: totals.read)
        }
        let images = caches.images.counts
        metrics.advance("videod_image_cache_hits_total", [], toTotal: Int64(images.hits))
        metrics.advance("videod_image_cache_misses_total", [], toTotal: Int64(images.misses))
        metrics.gauge("videod_image_cache_bytes").set(images.weight)
        if let volume = VolumeSpace(directory: dataDirectory) {
            metrics.gauge("videod_disk_total_bytes").set(volume.total)
            metrics.gauge("videod_disk_free_bytes").set(volume.free)
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            metrics.gauge("videod_process_open_fds").set(descriptors.count)
        }
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 2, let value = Int64(fields[1]) else { continue }
                if fields[0] == "Threads:" { metrics.gauge("videod_process_threads").set(value) }
                if fields[0] == "VmRSS:" { metrics.gauge("videod_process_resident_memory_bytes").set(value * 1024) }
            }
        }
    }
}
