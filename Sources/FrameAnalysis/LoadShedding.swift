/// How much an analyser decodes, from how full its queue is. Hysteresis keeps the mode from
/// flapping: it steps down at 50 % and 85 % and returns to full decoding only below 25 %.
enum LoadShedding {
    static func mode(current: AnalysisStatus.Mode, fill: Double) -> AnalysisStatus.Mode {
        if fill >= 0.85 { return .keyFramesOnly }
        if fill >= 0.5 && current == .full { return .skipNonReference }
        if fill < 0.25 { return .full }
        return current
    }
}
