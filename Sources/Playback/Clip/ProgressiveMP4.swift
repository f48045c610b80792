import Fragments
import Media

/// Stored fragments of one init segment as a progressive MP4 — `ftyp`, `moov` (the index,
/// first, so a player can start and seek at once), then one `mdat` — laid out without copying
/// any media: the file is `header` followed by `chunks`, each a byte range of a stored fragment,
/// so any byte range of it can be served straight from the segment files.
public struct ProgressiveMP4: Sendable {
    /// A piece of the `mdat` payload: bytes `range` of `fragment`, at `offset` in the file.
    public struct Chunk: Sendable {
        public let fragment: FragmentRecord
        public let range: Range<Int>
        public let offset: Int
    }

    /// ftyp + moov + the mdat box header.
    public let header: [UInt8]
    public let chunks: [Chunk]
    public let contentLength: Int
    /// Seconds of media (the longest track).
    public let duration: Double

    public enum Failure: Error, Equatable {
        case noTracks
        case noSamples
    }

    /// - Parameters:
    ///   - moofs: each fragment's moof (at least), read from the store.
    public init(initSegment: [UInt8], fragments: [(record: FragmentRecord, moof: [UInt8])]) throws {
        var tracks = ClipTrack.tracks(initSegment: initSegment)
        guard !tracks.isEmpty else { throw Failure.noTracks }
        // Chunks: each fragment's runs of one track's samples, in the order they are stored.
        var pieces: [(fragment: FragmentRecord, range: Range<Int>, track: Int, samples: Int)] = []
        for (record, moof) in fragments {
            for sample in MP4Sample.samples(fragment: moof, size: Int(record.size)) {
                guard let index = tracks.firstIndex(where: { $0.id == sample.trackID }),
                      sample.range.count <= Int(UInt32.max) else { continue }
                tracks[index].append(sample)
                if let last = pieces.last, last.fragment.number == record.number, last.track == index,
                   last.range.upperBound == sample.range.lowerBound {
                    pieces[pieces.count - 1].range = last.range.lowerBound..<sample.range.upperBound
                    pieces[pieces.count - 1].samples += 1
                } else {
                    pieces.append((record, sample.range, index, 1))
                }
            }
        }
        tracks.removeAll { $0.sampleCount == 0 }
        guard !tracks.isEmpty else { throw Failure.noSamples }
        let payload = pieces.reduce(0) { $0 + $1.range.count }
        // The moov's size does not depend on the offsets it holds: write it once to measure.
        let ftyp = Self.fileType()
        let layout = pieces.map { (track: $0.track, samples: $0.samples, bytes: $0.range.count) }
        let measured = Self.movie(tracks, pieces: layout, mdatStart: 0).count
        var header = ftyp + Self.movie(tracks, pieces: layout, mdatStart: ftyp.count + measured)
        var w = MP4Writer()
        w.u32(1)
        w.fourCC("mdat")
        w.u64(UInt64(16 + payload))
        header += w.bytes
        var offset = header.count
        chunks = pieces.map { piece in
            defer { offset += piece.range.count }
            return Chunk(fragment: piece.fragment, range: piece.range, offset: offset)
        }
        self.header = header
        contentLength = header.count + payload
        duration = tracks.map { Double($0.totalDuration) / Double($0.timescale) }.max() ?? 0
    }

    static func fileType() -> [UInt8] {
        var w = MP4Writer()
        w.box("ftyp") { b in
            b.fourCC("isom")
            b.u32(0x200)
            for brand in ["isom", "iso2", "avc1", "mp41"] { b.fourCC(brand) }
        }
        return w.bytes
    }
}
