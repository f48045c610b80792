import FrameAnalysis
import Fragments
import Logging
import Primitives
import VideoIngest

/// Makes the configuration file's streams exist with the settings it gives, before pulls resume.
/// Only what the file names is set: settings it leaves out keep what the API last stored, and
/// streams it does not name are untouched.
func applyDeclaredStreams(_ streams: [DeclaredStream], store: FragmentStore, analysis: AnalysisService, pulls: PullService,
                          logger: Logger) throws {
    for declared in streams {
        let (stream, created) = try store.createStream(named: declared.name, now: WallClock.now())
        if let settings = declared.analysis { try analysis.setSettings(settings, streamID: stream.id) }
        if let retention = declared.retention {
            try store.setStreamRetention(retention == StreamRetention() ? nil : retention, streamID: stream.id)
        }
        if let source = declared.source { try pulls.setSource(source, streamID: stream.id, streamName: stream.name, start: false) }
        if created { logger.info("stream created from the configuration file", metadata: ["stream": "\(declared.name)"]) }
    }
}
