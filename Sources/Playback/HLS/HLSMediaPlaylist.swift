import Foundation
import Fragments

/// An HLS media playlist (RFC 8216, version 7: fMP4 segments) over stored fragments, each a
/// segment as stored. A change of init segment gets a new `#EXT-X-MAP` and a discontinuity.
public struct HLSMediaPlaylist {
    public enum Discontinuities: Sendable { case always, never, onGap }

    public var fragments: [FragmentRecord]
    /// The media sequence number of the first fragment listed.
    public var mediaSequence: Int
    public var discontinuities: Discontinuities
    /// `#EXT-X-PROGRAM-DATE-TIME` per segment, at the fragment's producer time.
    public var showsProgramDateTime: Bool
    /// ON_DEMAND: the list is final (`#EXT-X-ENDLIST`, `PLAYLIST-TYPE:VOD`).
    public var ended: Bool
    /// fMP4 segments' init segment (`#EXT-X-MAP`); nil for MPEG-TS, whose segments carry their own.
    public var initURI: ((FragmentRecord) -> String)?
    public var segmentURI: (FragmentRecord) -> String

    /// A gap or overlap between fragments (producer time) beyond this is a discontinuity.
    static let gapTolerance: Int64 = 50_000

    public init(fragments: [FragmentRecord], mediaSequence: Int, discontinuities: Discontinuities, showsProgramDateTime: Bool,
                ended: Bool, initURI: ((FragmentRecord) -> String)?, segmentURI: @escaping (FragmentRecord) -> String) {
        self.fragments = fragments
        self.mediaSequence = mediaSequence
        self.discontinuities = discontinuities
        self.showsProgramDateTime = showsProgramDateTime
        self.ended = ended
        self.initURI = initURI
        self.segmentURI = segmentURI
    }

    public var text: String {
        let longest = fragments.map(\.duration).max() ?? 1_000_000
        // fMP4 segments need version 7 (EXT-X-MAP); MPEG-TS plays from version 3.
        var lines = ["#EXTM3U", initURI == nil ? "#EXT-X-VERSION:3" : "#EXT-X-VERSION:7",
                     "#EXT-X-TARGETDURATION:\(max(1, (longest + 999_999) / 1_000_000))",
                     "#EXT-X-MEDIA-SEQUENCE:\(mediaSequence)"]
        if ended { lines.append("#EXT-X-PLAYLIST-TYPE:VOD") }
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
        var previous: FragmentRecord?
        for fragment in fragments {
            if previous?.initID != fragment.initID {
                if previous != nil { lines.append("#EXT-X-DISCONTINUITY") }
                if let initURI { lines.append("#EXT-X-MAP:URI=\"\(initURI(fragment))\"") }
            } else if let previous, breaks(after: previous, at: fragment) {
                lines.append("#EXT-X-DISCONTINUITY")
            }
            if showsProgramDateTime { lines.append("#EXT-X-PROGRAM-DATE-TIME:" + Self.programDateTime(fragment.producerStart)) }
            lines.append("#EXTINF:" + String(format: "%.3f", Double(fragment.duration) / 1_000_000) + ",")
            lines.append(segmentURI(fragment))
            previous = fragment
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func breaks(after previous: FragmentRecord, at fragment: FragmentRecord) -> Bool {
        switch discontinuities {
        case .always: return true
        case .never: return false
        case .onGap:
            let gap = fragment.producerStart.subtractingReportingOverflow(previous.producerStart &+ previous.duration)
            return fragment.discontinuity || gap.overflow || abs(gap.partialValue) > Self.gapTolerance
        }
    }

    /// ISO 8601 with milliseconds, UTC.
    static func programDateTime(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}
