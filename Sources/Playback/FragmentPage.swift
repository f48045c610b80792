import Fragments

/// One page of the fragments that overlap a time range, sorted by the chosen clock, and the token
/// that continues the listing after it (nil on the last page).
public struct FragmentPage: Sendable {
    public let fragments: [FragmentRecord]
    public let next: String?

    public static func read(_ store: FragmentStore, streamID: Int64, kind: TimestampKind, from start: Int64, to end: Int64,
                            after cursor: FragmentCursor?, limit: Int) throws -> FragmentPage {
        // One more than asked tells whether another page follows.
        let found = try store.fragments(streamID: streamID, kind: kind, from: start, to: end, after: cursor, limit: limit + 1)
        let shown = Array(found.prefix(limit))
        let next = found.count > limit ? shown.last.map {
            PageToken.encode(FragmentCursor(timestamp: $0.start(kind), number: $0.number), kind: kind)
        } : nil
        return FragmentPage(fragments: shown, next: next)
    }
}
