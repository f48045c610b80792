import Fragments
import Media

/// Stored fragments carry decode times on the producer clock (seconds since 1970 in track ticks).
/// A downloaded file is moved back so that it starts at zero, keeping tracks aligned: every
/// track is shifted by the same span of time, the earliest decode time in the first fragment.
public struct DownloadTimeline: Sendable {
    private let timescales: [UInt32: UInt32]
    private let startMicros: Int64

    public init(initSegment: [UInt8], firstFragment: [UInt8]) {
        timescales = FragmentTiming.timescales(initSegment: initSegment)
        let scales = timescales
        let starts = FragmentTiming.decodeTimes(fragment: firstFragment).compactMap { track, ticks -> Int64? in
            guard let scale = scales[track], scale > 0 else { return nil }
            return FragmentTiming.microseconds(ticks, timescale: scale)
        }
        startMicros = starts.min() ?? 0
    }

    public func rebase(_ fragment: [UInt8]) -> [UInt8] {
        var bytes = fragment
        let scales = timescales
        let start = startMicros
        FragmentTiming.shift(&bytes) { track in -FragmentTiming.ticks(start, timescale: scales[track] ?? 1_000_000) }
        return bytes
    }
}
