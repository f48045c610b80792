/// Times in a track's timescale as microseconds (what videod's decoders and muxers are fed).
enum TrackTime {
    /// Track ticks as microseconds (the decoder's packet units), without overflow.
    static func microseconds(_ ticks: Int64, _ timescale: UInt32) -> Int64 {
        let scaled = ticks.multipliedReportingOverflow(by: 1_000_000)
        guard scaled.overflow else { return scaled.partialValue / Int64(timescale) }
        let seconds = Double(ticks) / Double(timescale)
        return Int64(exactly: (seconds * 1_000_000).rounded()) ?? (ticks < 0 ? Int64.min / 2 : Int64.max / 2)
    }
}
