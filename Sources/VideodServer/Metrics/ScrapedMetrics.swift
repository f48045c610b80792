import DataStreams
import FrameAnalysis
import Foundation
import Playback

/// What is read when Prometheus scrapes rather than counted as it happens: analysis status per
/// stream (kept as running totals by the analysers), the playback caches, the data volume and the
/// process itself.
struct ScrapedMetrics: Sendable {
    let metrics: ServerMetrics
    let analysis: AnalysisService
    let dataStreams: DataStreamService
    let caches: PlaybackCaches
    let dataDirectory: String

    func collect() {
        for (stream, status) in analysis.statuses() {
            let labels = [("stream", stream)]
            metrics.advance("videod_analysis_frames_decoded_total", labels, toTotal: Int64(status.framesDecoded))
            // Load shedding: packets refused while the queue was full, and packets decoded with
            // frames skipped.
            metrics.advance("videod_analysis_packets_dropped_total", labels, toTotal: Int64(status.packetsDropped))
            metrics.advance("videod_analysis_packets_reduced_total", labels, toTotal: Int64(status.packetsDecodedReduced))
            metrics.advance("videod_analysis_events_published_total", labels, toTotal: Int64(status.eventsPublished))
            metrics.gauge("videod_analysis_lag_seconds", labels).set(status.lagSeconds)
            metrics.gauge("videod_analysis_queued_packets", labels).set(status.queuedPackets)
        }
        for (stream, totals) in dataStreams.traffic.byStream {
            metrics.advance("videod_kds_records_put_total", [("stream", stream)], toTotal: totals.put)
            metrics.advance("videod_kds_records_read_total", [("stream", stream)], toTotal: totals.read)
        }
        let images = caches.images.counts
        metrics.advance("videod_image_cache_hits_total", [], toTotal: Int64(images.hits))
        metrics.advance("videod_image_cache_misses_total", [], toTotal: Int64(images.misses))
        metrics.gauge("videod_image_cache_bytes").set(images.weight)
        var volume = statvfs()
        if statvfs(dataDirectory, &volume) == 0 {
            let block = Int64(volume.f_frsize)
            metrics.gauge("videod_disk_total_bytes").set(Int64(volume.f_blocks) &* block)
            metrics.gauge("videod_disk_free_bytes").set(Int64(volume.f_bavail) &* block)
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
