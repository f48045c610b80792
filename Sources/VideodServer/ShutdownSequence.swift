import FrameAnalysis
import Logging
import VideoIngest

/// What SIGTERM does before the servers stop: no new push is taken, each running one ends at its
/// next fragment boundary (so what it stored is whole fragments, acknowledged), then the
/// analysers finish the fragments already stored and publish their events. Both waits are
/// bounded by `timeout`; a push that reaches no boundary in time stores its open fragment as it is.
public struct ShutdownSequence: Sendable {
    let ingest: IngestService
    let analysis: AnalysisService
    /// The longest fragment: a real-time push reaches a boundary within it.
    let maxFragmentSeconds: Double
    let timeout: Double
    let logger: Logger

    public func drain() async {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        let sessions = ingest.sessionCount
        ingest.drain()
        logger.notice("shutting down: ending pushes at their next fragment boundary", metadata: ["sessions": "\(sessions)"])
        let boundaryDeadline = min(deadline, clock.now + .seconds(maxFragmentSeconds + 2))
        if !(await Self.wait(until: boundaryDeadline) { ingest.sessionCount == 0 }) {
            logger.warning("pushes reached no fragment boundary in time; storing their open fragments as they are",
                           metadata: ["sessions": "\(ingest.sessionCount)"])
            ingest.endAll()
            _ = await Self.wait(until: clock.now + .seconds(5)) { ingest.sessionCount == 0 }
        }
        if await Self.wait(until: deadline, { analysis.runningAnalysers == 0 }) {
            logger.notice("shutting down: every push stored and analysed")
        } else {
            logger.warning("shutting down before analysis finished; its last events are not published",
                           metadata: ["analysers": "\(analysis.runningAnalysers)"])
        }
    }

    /// Polls `done` until it holds (true) or the deadline passes (false).
    private static func wait(until deadline: ContinuousClock.Instant, _ done: () -> Bool) async -> Bool {
        while !done() {
            if ContinuousClock().now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
