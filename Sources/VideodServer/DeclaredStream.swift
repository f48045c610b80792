import FrameAnalysis
import Fragments

/// A stream named in the configuration file: made at start if missing, with the settings the file
/// gives (what it leaves out stays as the API last set it).
public struct DeclaredStream: Sendable, Equatable {
    public var name: String
    /// A camera to pull; `.some(nil)` stops pulling, nil leaves it as it is.
    public var source: String??
    public var analysis: AnalysisSettings?
    public var retention: StreamRetention?
    /// Where the file declares it, for messages.
    public var line: Int

    public init(name: String, source: String?? = nil, analysis: AnalysisSettings? = nil, retention: StreamRetention? = nil, line: Int = 0) {
        self.name = name
        self.source = source
        self.analysis = analysis
        self.retention = retention
        self.line = line
    }
}
