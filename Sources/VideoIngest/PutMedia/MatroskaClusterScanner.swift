/// Follows a pushed Matroska byte stream at the level PutMedia acknowledges it: where each Cluster
/// (a KVS fragment) begins, its timecode, and where it ends — without holding the media: content
/// bytes are counted, not kept. Fed in whatever pieces the body arrives in. libavformat demuxes
/// the same bytes for the frames; this only marks fragment boundaries for the acknowledgements.
public struct MatroskaClusterScanner: Sendable {
    public enum Event: Equatable, Sendable {
        /// A cluster began; `timecode` is its Timecode element, in the segment's timecode scale;
        /// `offset` is where its header starts in the body (libavformat's packet positions count
        /// the same bytes, so frames can be told apart by the cluster they came in).
        case clusterStarted(timecode: UInt64, offset: UInt64)
        /// The cluster ended (the next top-level element began, its size ran out, or input ended).
        case clusterEnded(timecode: UInt64, bytes: UInt64)
    }

    public enum Failure: Error, Equatable {
        /// Not a Matroska stream (bad EBML, a second Segment, a cluster without a timecode first).
        case invalid(String)
        /// A cluster past `maxClusterBytes` (KVS: fragments are at most 50 MB).
        case clusterTooLarge(UInt64)
    }

    static let ebml: UInt32 = 0x1A45_DFA3
    static let segment: UInt32 = 0x1853_8067
    static let cluster: UInt32 = 0x1F43_B675
    static let timecode: UInt32 = 0xE7
    /// Elements that may follow a cluster at the Segment's level: one of them ends an unknown-size
    /// cluster (SeekHead, Info, Tracks, Cluster, Cues, Attachments, Chapters, Tags).
    static let segmentChildren: Set<UInt32> = [0x114D_9B74, 0x1549_A966, 0x1654_AE6B, cluster, 0x1C53_BB6B, 0x1941_A469,
                                                0x1043_A770, 0x1254_C367]
    /// Global elements, allowed anywhere, before a cluster's Timecode too (ffmpeg writes a CRC-32 first).
    static let global: Set<UInt32> = [0xBF, 0xEC]

    let maxClusterBytes: UInt64
    private var pending: [UInt8] = []
    /// Content bytes still to skip before the next header at the current level.
    private var skipping: UInt64 = 0
    private var seenSegment = false
    /// Where the open cluster ends (its remaining bytes), nil for an unknown size.
    private var open: (timecode: UInt64?, remaining: UInt64?, bytes: UInt64, offset: UInt64)?
    /// Body bytes already consumed and dropped from `pending`.
    private var dropped: UInt64 = 0

    public init(maxClusterBytes: UInt64 = 50_000_000) {
        self.maxClusterBytes = maxClusterBytes
    }

    /// Takes the next piece of the body; returns what happened in it, in order.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws -> [Event] {
        var events: [Event] = []
        pending += bytes
        var index = 0
        while index < pending.count {
            if skipping > 0 {
                let step = Int(min(skipping, UInt64(pending.count - index)))
                skipping -= UInt64(step)
                try count(UInt64(step))
                index += step
                continue
            }
            if open != nil, open?.remaining == 0 { try close(&events) }
            guard let header = try Self.header(pending[index...]) else { break }
            if let opened = open {
                if opened.remaining == nil && Self.segmentChildren.contains(header.id) {
                    try close(&events)
                    continue
                }
                try count(UInt64(header.length))
                index += header.length
                if header.id == Self.timecode && opened.timecode == nil {
                    guard let size = header.size, size <= 8 else { throw Failure.invalid("a cluster Timecode must be 1 to 8 bytes") }
                    guard pending.count - index >= Int(size) else { index -= header.length; try uncount(UInt64(header.length)); break }
                    var value: UInt64 = 0
                    for byte in pending[index..<(index + Int(size))] { value = value << 8 | UInt64(byte) }
                    open?.timecode = value
                    events.append(.clusterStarted(timecode: value, offset: opened.offset))
                    try count(size)
                    index += Int(size)
                    continue
                }
                guard opened.timecode != nil || Self.global.contains(header.id) else {
                    throw Failure.invalid("a Cluster must start with its Timecode")
                }
                guard let size = header.size else { throw Failure.invalid("only a Cluster may have an unknown size inside a Segment") }
                skipping = size
                continue
            }
            index += header.length
            switch header.id {
            case Self.segment:
                guard !seenSegment else { throw Failure.invalid("a PutMedia body holds one Segment") }
                seenSegment = true // its children follow at once
            case Self.cluster:
                guard seenSegment else { throw Failure.invalid("a Cluster outside the Segment") }
                open = (nil, header.size, UInt64(header.length), dropped + UInt64(index - header.length))
            default:
                guard let size = header.size else { throw Failure.invalid("element \(String(header.id, radix: 16)) has an unknown size") }
                skipping = size
            }
        }
        pending.removeFirst(index)
        dropped += UInt64(index)
        if let opened = open, opened.remaining == 0 { try close(&events) }
        return events
    }

    /// The input ended: a cluster still open ends here.
    public mutating func finish() throws -> [Event] {
        var events: [Event] = []
        if open != nil { try close(&events) }
        return events
    }

    private static func header(_ bytes: ArraySlice<UInt8>) throws -> EBMLElementHeader? {
        do {
            return try EBMLElementHeader.parse(bytes)
        } catch {
            throw Failure.invalid("the body is not EBML")
        }
    }

    /// Counts bytes into the open cluster (against its size and the limit).
    private mutating func count(_ bytes: UInt64) throws {
        guard let opened = open else { return }
        let total = opened.bytes + bytes
        guard total <= maxClusterBytes else { throw Failure.clusterTooLarge(total) }
        if let remaining = opened.remaining {
            guard bytes <= remaining else { throw Failure.invalid("an element runs past the end of its Cluster") }
            open?.remaining = remaining - bytes
        }
        open?.bytes = total
    }

    private mutating func uncount(_ bytes: UInt64) throws {
        open?.bytes -= bytes
        if let remaining = open?.remaining { open?.remaining = remaining + bytes }
    }

    private mutating func close(_ events: inout [Event]) throws {
        guard let opened = open else { return }
        open = nil
        guard let timecode = opened.timecode else { throw Failure.invalid("a Cluster ended without a Timecode") }
        events.append(.clusterEnded(timecode: timecode, bytes: opened.bytes))
    }
}
