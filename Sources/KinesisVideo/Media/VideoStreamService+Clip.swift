import AWSProtocol
import NIOCore
import Fragments
import Playback

/// GetClip: a time range as one progressive MP4, within KVS's limits (the first 200 fragments
/// or 100 MB from the range's start).
extension VideoStreamService {
    static let clipMaxFragments = 200
    static let clipMaxBytes: Int64 = 100 << 20

    public func clipPlan(_ a: RequestMembers) throws -> ClipPlanner.Plan {
        try wrapped {
            let stream = try resolveStream(a)
            guard let selector = try a.object("ClipFragmentSelector") else {
                throw VideoStreamError.invalidArgument("ClipFragmentSelector is required.")
            }
            let selection = try FragmentSelection(selector)
            guard selection.end - selection.start <= Self.maxRange else {
                throw VideoStreamError.invalidArgument("The TimestampRange must span at most 24 hours.")
            }
            if stream.attributes.retentionHours == 0 {
                throw VideoStreamError.noDataRetention("The stream \(stream.name) keeps no data (DataRetentionInHours 0).")
            }
            guard let plan = try ClipPlanner.plan(store, streamID: stream.id, kind: selection.kind, from: selection.start,
                                                  to: selection.end + 1, maxFragments: Self.clipMaxFragments,
                                                  maxBytes: Self.clipMaxBytes, layouts: caches.clipLayouts) else {
                throw VideoStreamError.notFound("The stream \(stream.name) has no fragments in that range.")
            }
            return plan
        }
    }

    /// Bytes of a planned clip, read from this service's store.
    public func clipBytes(_ file: ProgressiveMP4, _ range: Range<Int>) throws -> ByteBuffer {
        try file.read(range, from: store)
    }
}
