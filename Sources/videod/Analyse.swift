import ArgumentParser
import Foundation
import FrameAnalysis
import Media

/// `videod analyse FILE`: runs the frame analysis over a recording and prints its events as JSON
/// lines, then a summary with the frame count and CPU time. Used by the accuracy corpus and the
/// analysis benchmark; handy for tuning settings on a clip from your own camera.
struct Analyse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse",
        abstract: "Run motion and scene-change detection over a video file and print the events as JSON lines.")

    @Argument(help: "A video file (any container FFmpeg reads; H.264 or H.265).")
    var file: String

    @Option(help: "Analysis settings as JSON, as PUT /streams/{name}/analysis takes them.")
    var settings: String = "{}"

    @Flag(help: "Only decode (as analysis would: one thread, same skip settings); for benchmarks.")
    var decodeOnly = false

    func run() throws {
        MediaLogging.quiet()
        var settings = try JSONDecoder().decode(AnalysisSettings.self, from: Data(self.settings.utf8))
        if let problem = settings.problem() { throw ValidationError(problem) }
        settings.enabled = true
        // CPU from opening the file on (probing decodes a few frames), as other tools count it.
        let cpuStart = Self.cpuSeconds()
        let demuxer = try Demuxer(url: file)
        defer { demuxer.close() }
        guard let video = demuxer.streams.first(where: { $0.kind == .video }) else {
            throw ValidationError("\(file) has no video track")
        }
        let parameters = try demuxer.codecParameters(of: video.index)
        if decodeOnly {
            return try decode(demuxer, video: video, parameters: parameters, settings: settings, cpuStart: cpuStart)
        }
        let pipeline = try AnalysisPipeline(streamName: "file", parameters: parameters, settings: settings)
        let started = ProcessInfo.processInfo.systemUptime
        var decodeErrors = 0
        while let packet = try demuxer.readPacket() {
            guard packet.streamIndex == video.index else { continue }
            packet.pts = packet.pts.map(video.microseconds)
            packet.dts = packet.dts.map(video.microseconds)
            do {
                try pipeline.process(packet, serverTime: 0).forEach(Self.print)
            } catch {
                decodeErrors += 1
            }
        }
        pipeline.finish(now: 0).forEach(Self.print)
        let summary: [String: Any] = [
            "summary": [
                "frames": pipeline.framesDecoded, "motionFrames": pipeline.framesAnalysed, "decodeErrors": decodeErrors,
                "picturesSkipped": pipeline.picturesSkipped, "gate": pipeline.gateState.state,
                "gateReason": pipeline.gateState.reason ?? "", "gateMisses": pipeline.gateMisses,
                "cpuSeconds": Self.cpuSeconds() - cpuStart, "wallSeconds": ProcessInfo.processInfo.systemUptime - started,
                "width": video.width, "height": video.height,
            ] as [String: Any],
        ]
        Swift.print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
    }

    private func decode(_ demuxer: Demuxer, video: StreamInfo, parameters: CodecParameters, settings: AnalysisSettings,
                        cpuStart: Double) throws {
        let decoder = try VideoDecoder(parameters: parameters, skipLoopFilter: settings.skipLoopFilter)
        var frames = 0
        while let packet = try demuxer.readPacket() {
            guard packet.streamIndex == video.index else { continue }
            try? decoder.decode(packet) { _ in frames += 1 }
        }
        try? decoder.decode(nil) { _ in frames += 1 }
        decoder.close()
        let summary: [String: Any] = ["summary": ["frames": frames, "cpuSeconds": Self.cpuSeconds() - cpuStart] as [String: Any]]
        Swift.print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
    }

    private static func print(_ event: AnalysisEvent) {
        var line: [String: Any] = ["type": event.kind.rawValue, "time": Double(event.producerTime) / 1_000_000]
        if let motion = event.motion {
            line["peakArea"] = motion.peakArea
            line["box"] = [motion.box.left, motion.box.top, motion.box.width, motion.box.height]
            if let duration = motion.duration { line["duration"] = duration }
        }
        if let start = event.motionStart { line["start"] = Double(start) / 1_000_000 }
        if let score = event.sceneScore { line["score"] = score }
        if let delta = event.contentDelta { line["contentDelta"] = delta }
        if let transition = event.sceneTransition { line["transition"] = transition.rawValue }
        if let end = event.transitionEnd { line["end"] = Double(end) / 1_000_000 }
        if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }

    /// CPU time of this process (user + system), seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
}
