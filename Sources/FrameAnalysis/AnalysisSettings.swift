/// A stream's analysis settings, as `PUT /streams/{name}/analysis` takes them (JSON). Every
/// member is optional on input; missing ones keep their defaults.
public struct AnalysisSettings: Sendable, Equatable, Codable {
    public enum Detector: String, Sendable, Codable, CaseIterable { case motion, scene }

    public var enabled: Bool = true
    public var detectors: [Detector] = Detector.allCases
    /// 0 … 1: higher fires on fainter changes.
    public var sensitivity: Double = 0.5
    /// The smallest moving area that fires, as a fraction of the picture.
    public var minObjectArea: Double = 0.002
    /// Polygons of [x, y] points in normalised coordinates whose pixels motion ignores.
    public var mask: [[[Double]]] = []
    /// Frames per second the motion detector looks at (scene detection sees every decoded frame).
    public var frameRate: Double = 10
    /// Width of the analysis picture in pixels; the height follows the aspect ratio.
    public var width: Int = 160
    /// Seconds of stillness that end a motion event.
    public var eventGap: Double = 2
    /// The data stream events go to.
    public var dataStream: String = "videod-events"
    /// Skip libavcodec's deblocking filter while decoding for analysis (cheaper; detection barely changes).
    public var skipLoopFilter: Bool = true
    /// Leave GOPs undecoded whose coded sizes and bracketing key frames show nothing changed
    /// (`DecodeGate`); false decodes every frame.
    public var decodeGate: Bool = true
    /// With the gate: leave the middle GOPs of a visit undecoded while their sizes and the key
    /// frames after them show the visitor moving on (`AnalysisPipeline+Coast`); event times stay
    /// frame-exact, an event's peak area and box come from the pictures decoded.
    public var coastThroughVisits: Bool = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, detectors, sensitivity, minObjectArea, mask, frameRate, width, eventGap, dataStream, skipLoopFilter, decodeGate,
             coastThroughVisits
    }

    /// The JSON member names, so that a front end can refuse unknown (misspelt) ones.
    public static var memberNames: [String] { CodingKeys.allCases.map(\.rawValue) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AnalysisSettings()
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        detectors = try c.decodeIfPresent([Detector].self, forKey: .detectors) ?? d.detectors
        sensitivity = try c.decodeIfPresent(Double.self, forKey: .sensitivity) ?? d.sensitivity
        minObjectArea = try c.decodeIfPresent(Double.self, forKey: .minObjectArea) ?? d.minObjectArea
        mask = try c.decodeIfPresent([[[Double]]].self, forKey: .mask) ?? d.mask
        frameRate = try c.decodeIfPresent(Double.self, forKey: .frameRate) ?? d.frameRate
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? d.width
        eventGap = try c.decodeIfPresent(Double.self, forKey: .eventGap) ?? d.eventGap
        dataStream = try c.decodeIfPresent(String.self, forKey: .dataStream) ?? d.dataStream
        skipLoopFilter = try c.decodeIfPresent(Bool.self, forKey: .skipLoopFilter) ?? d.skipLoopFilter
        decodeGate = try c.decodeIfPresent(Bool.self, forKey: .decodeGate) ?? d.decodeGate
        coastThroughVisits = try c.decodeIfPresent(Bool.self, forKey: .coastThroughVisits) ?? d.coastThroughVisits
    }

    /// What is wrong with the settings, in words a user can act on; nil when they are valid.
    public func problem() -> String? {
        if !(0...1).contains(sensitivity) { return "sensitivity must be between 0 and 1" }
        if !(minObjectArea > 0 && minObjectArea <= 0.5) { return "minObjectArea must be a fraction of the picture in (0, 0.5]" }
        if !(frameRate >= 0.1 && frameRate <= 60) { return "frameRate must be 0.1…60 frames per second" }
        if !(32...640).contains(width) { return "width must be 32…640 pixels" }
        if !(eventGap >= 0 && eventGap <= 600) { return "eventGap must be 0…600 seconds" }
        if Set(detectors).count != detectors.count { return "detectors must not repeat" }
        for polygon in mask {
            if polygon.count < 3 { return "each mask polygon needs at least 3 points" }
            for point in polygon where point.count != 2 || !point.allSatisfy({ (0...1).contains($0) }) {
                return "mask points are [x, y] pairs between 0 and 1"
            }
        }
        let validName = !dataStream.isEmpty && dataStream.count <= 128
            && dataStream.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        if !validName { return "dataStream must be 1-128 characters of [a-zA-Z0-9_.-]" }
        return nil
    }

    var motion: MotionDetector.Configuration {
        MotionDetector.Configuration(sensitivity: sensitivity, minArea: minObjectArea,
                                     eventGap: Int64(eventGap * 1_000_000), mask: mask)
    }

    var scene: SceneDetector.Configuration {
        SceneDetector.Configuration(sensitivity: sensitivity)
    }
}
