/// Reads and rewrites the decode times (`tfdt`) of stored CMAF fragments.
///
/// libav's muxer starts every session's decode times at zero. videod moves them onto the
/// producer clock when it stores a fragment, so that fragments from successive pushes of one
/// stream follow each other; downloads move them back so that a file starts near zero.
public enum FragmentTiming {
    /// Track id → timescale (ticks per second), from an init segment's moov/trak boxes.
    public static func timescales(initSegment bytes: [UInt8]) -> [UInt32: UInt32] {
        var result: [UInt32: UInt32] = [:]
        guard let moov = MP4Boxes.topLevel(bytes).first(where: { $0.type == "moov" }) else { return result }
        for trak in MP4Boxes.children(of: moov, in: bytes) where trak.type == "trak" {
            let parts = MP4Boxes.children(of: trak, in: bytes)
            guard let tkhd = parts.first(where: { $0.type == "tkhd" }),
                  let mdia = parts.first(where: { $0.type == "mdia" }),
                  let mdhd = MP4Boxes.children(of: mdia, in: bytes).first(where: { $0.type == "mdhd" }),
                  tkhd.size > 12, mdhd.size > 12 else { continue }
            let idOffset = tkhd.offset + 8 + (bytes[tkhd.offset + 8] == 1 ? 20 : 12)
            let scaleOffset = mdhd.offset + 8 + (bytes[mdhd.offset + 8] == 1 ? 20 : 12)
            guard idOffset + 4 <= tkhd.offset + tkhd.size, scaleOffset + 4 <= mdhd.offset + mdhd.size else { continue }
            result[MP4Boxes.readUInt32(bytes, idOffset)] = MP4Boxes.readUInt32(bytes, scaleOffset)
        }
        return result
    }

    /// Track id → base media decode time of each track fragment in a moof+mdat.
    public static func decodeTimes(fragment bytes: [UInt8]) -> [UInt32: UInt64] {
        var result: [UInt32: UInt64] = [:]
        for entry in tfdtEntries(bytes) {
            result[entry.trackID] = read(bytes, entry)
        }
        return result
    }

    /// Adds `delta(trackID)` ticks to every track fragment's decode time, in place.
    /// Decode times never go below zero.
    public static func shift(_ bytes: inout [UInt8], delta: (UInt32) -> Int64) {
        for entry in tfdtEntries(bytes) {
            let (sum, overflow) = Int64(clamping: read(bytes, entry)).addingReportingOverflow(delta(entry.trackID))
            let value = overflow ? (delta(entry.trackID) < 0 ? Int64.min : Int64.max) : sum
            let shifted = UInt64(max(value, 0))
            if entry.version == 1 {
                for i in 0..<8 { bytes[entry.valueOffset + i] = UInt8(truncatingIfNeeded: shifted >> (56 - 8 * UInt64(i))) }
            } else {
                let narrow = UInt32(truncatingIfNeeded: min(shifted, UInt64(UInt32.max)))
                for i in 0..<4 { bytes[entry.valueOffset + i] = UInt8(truncatingIfNeeded: narrow >> (24 - 8 * UInt32(i))) }
            }
        }
    }

    /// Microseconds for `ticks` at `timescale` (the inverse of `ticks`), saturating likewise.
    public static func microseconds(_ ticks: UInt64, timescale: UInt32) -> Int64 {
        guard timescale > 0 else { return 0 }
        let (q, r) = (Int64(clamping: ticks)).quotientAndRemainder(dividingBy: Int64(timescale))
        let (whole, overflow) = q.multipliedReportingOverflow(by: 1_000_000)
        let (total, overflowSum) = whole.addingReportingOverflow(r * 1_000_000 / Int64(timescale))
        return overflow || overflowSum ? Int64.max : total
    }

    /// Ticks for `microseconds` at `timescale`, saturating at the ends of `Int64` (a time that far
    /// out is garbage already; the arithmetic must not trap on it).
    public static func ticks(_ microseconds: Int64, timescale: UInt32) -> Int64 {
        let (q, r) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        let (whole, overflow) = q.multipliedReportingOverflow(by: Int64(timescale))
        guard !overflow else { return q < 0 ? Int64.min : Int64.max }
        let (total, overflowSum) = whole.addingReportingOverflow((r * Int64(timescale) + 500_000) / 1_000_000)
        return overflowSum ? (whole < 0 ? Int64.min : Int64.max) : total
    }

    private struct Entry {
        let trackID: UInt32
        let version: UInt8
        let valueOffset: Int
    }

    private static func tfdtEntries(_ bytes: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        for moof in MP4Boxes.topLevel(bytes) where moof.type == "moof" {
            for traf in MP4Boxes.children(of: moof, in: bytes) where traf.type == "traf" {
                let parts = MP4Boxes.children(of: traf, in: bytes)
                guard let tfhd = parts.first(where: { $0.type == "tfhd" }), tfhd.size >= 16,
                      let tfdt = parts.first(where: { $0.type == "tfdt" }), tfdt.size >= 16 else { continue }
                let version = bytes[tfdt.offset + 8]
                guard tfdt.size >= (version == 1 ? 20 : 16) else { continue }
                entries.append(Entry(trackID: MP4Boxes.readUInt32(bytes, tfhd.offset + 12), version: version,
                                     valueOffset: tfdt.offset + 12))
            }
        }
        return entries
    }

    private static func read(_ bytes: [UInt8], _ entry: Entry) -> UInt64 {
        if entry.version == 1 {
            return UInt64(MP4Boxes.readUInt32(bytes, entry.valueOffset)) << 32
                | UInt64(MP4Boxes.readUInt32(bytes, entry.valueOffset + 4))
        }
        return UInt64(MP4Boxes.readUInt32(bytes, entry.valueOffset))
    }
}
