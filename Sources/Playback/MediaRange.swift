import Fragments

/// A time range of a stream as one playable fragmented MP4: the init segment, then the stored
/// moof+mdat pairs moved to start at zero. It begins at the key frame at or before the range's
/// start (every fragment begins with one) and holds one init segment's fragments: a change of
/// codec configuration ends it there (`truncated`), as does `maxFragments`.
public struct MediaRange: Sendable {
    public let run: FragmentRun
    public let truncated: Bool
    public let initSegment: [UInt8]
    private let timeline: DownloadTimeline
    private let store: FragmentStore

    /// Nil when no fragment overlaps the range.
    public static func plan(_ store: FragmentStore, streamID: Int64, kind: TimestampKind, from start: Int64, to end: Int64,
                            maxFragments: Int) throws -> MediaRange? {
        let fragments = try store.fragments(streamID: streamID, kind: kind, from: start, to: end, limit: maxFragments + 1)
        guard let first = FragmentRun.split(Array(fragments.prefix(maxFragments))).first,
              let firstFragment = first.fragments.first else { return nil }
        let initSegment = try store.initSegment(id: first.initID)
        let timeline = DownloadTimeline(initSegment: initSegment, firstFragment: try store.bytes(of: firstFragment))
        return MediaRange(run: first, truncated: first.fragments.count < fragments.count, initSegment: initSegment,
                          timeline: timeline, store: store)
    }

    /// Bytes of the whole file.
    public var contentLength: Int {
        initSegment.count + run.fragments.reduce(0) { $0 + Int($1.size) }
    }

    /// One of the run's fragments as it appears in the file (reads the disk).
    public func bytes(of fragment: FragmentRecord) throws -> [UInt8] {
        timeline.rebase(try store.bytes(of: fragment))
    }

    /// One fragment as a playable fMP4 of its own (its init segment, then it from zero), or nil
    /// if the number is not one of the stream's fragments.
    public static func singleFragment(_ store: FragmentStore, streamID: Int64, number: FragmentNumber) throws -> [UInt8]? {
        guard let record = try store.fragment(number: number), record.streamID == streamID else { return nil }
        let initSegment = try store.initSegment(id: record.initID)
        let fragment = try store.bytes(of: record)
        return initSegment + DownloadTimeline(initSegment: initSegment, firstFragment: fragment).rebase(fragment)
    }
}
