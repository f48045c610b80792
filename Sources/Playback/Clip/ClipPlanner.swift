import Fragments
import Media

/// Chooses the fragments of a clip and lays them out as a progressive MP4: the fragments
/// overlapping the range (from the key frame at or before its start), one init segment's worth,
/// cut at `maxFragments` or once `maxBytes` would be passed.
public enum ClipPlanner {
    public struct Plan: Sendable {
        public let file: ProgressiveMP4
        public let fragments: [FragmentRecord]
        /// The range held more than the clip does (a limit or a codec change cut it).
        public let truncated: Bool
        /// The layout came from the cache (no moof was read).
        public var reused = false
    }

    /// Nil when no fragment overlaps the range.
    public static func plan(_ store: FragmentStore, streamID: Int64, kind: TimestampKind, from start: Int64, to end: Int64,
                            maxFragments: Int, maxBytes: Int64, layouts: ClipLayoutCache? = nil) throws -> Plan? {
        let found = try store.fragments(streamID: streamID, kind: kind, from: start, to: end, limit: maxFragments + 1)
        guard let run = FragmentRun.split(Array(found.prefix(maxFragments))).first else { return nil }
        var chosen: [FragmentRecord] = []
        var bytes: Int64 = 0
        for fragment in run.fragments {
            guard chosen.isEmpty || bytes + fragment.size <= maxBytes else { break }
            chosen.append(fragment)
            bytes += fragment.size
        }
        let key = ClipLayoutKey(chosen)
        if let key, let file = layouts?.value(key) {
            return Plan(file: file, fragments: chosen, truncated: chosen.count < found.count, reused: true)
        }
        let moofs = try chosen.map { (record: $0, moof: try moof(of: $0, store)) }
        let file = try ProgressiveMP4(initSegment: try store.initSegment(id: run.initID), fragments: moofs)
        if let key { layouts?.insert(file, for: key) }
        return Plan(file: file, fragments: chosen, truncated: chosen.count < found.count)
    }

    /// A fragment's leading moof box (its sample tables), read without its media.
    public static func moof(of fragment: FragmentRecord, _ store: FragmentStore) throws -> [UInt8] {
        let head = try store.bytes(of: fragment, in: 0..<8)
        guard head.count == 8, String(decoding: head[4..<8], as: UTF8.self) == "moof" else { return [] }
        let size = head[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard size >= 8 else { return [] }
        return try store.bytes(of: fragment, in: 0..<size)
    }
}
