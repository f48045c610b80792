import Foundation
import Fragments

/// Where a producer cut its fragments (PutMedia: where each Matroska Cluster begins in the body),
/// so that the stored fragments follow the producer's instead of videod's duration target. The
/// front end records each cluster's byte offset as it scans the body, before the demuxer can read
/// the cluster's frames; the session classifies each video packet by its byte position: the first
/// video packet of a cluster may start a fragment (if it is a key frame), any other may not.
/// A cluster that does not begin with a key frame thus joins the fragment before it.
public final class ProducerFragmentBoundaries: @unchecked Sendable {
    private let lock = NSLock()
    /// Cluster offsets not yet reached by a video packet, ascending.
    private var pending: [UInt64] = []

    public init() {}

    /// A producer fragment begins at `offset` in the body (offsets arrive in increasing order).
    public func add(offset: UInt64) {
        lock.withLock { pending.append(offset) }
    }

    /// How the video packet at `position` in the body stands to the producer's fragments; nil
    /// when its position is unknown (then duration decides, as for any push).
    func classify(position: Int64?) -> Fragmenter.ProducerBoundary? {
        guard let position, let at = UInt64(exactly: position) else { return nil }
        return lock.withLock {
            var reached = false
            while let next = pending.first, next <= at {
                reached = true
                pending.removeFirst()
            }
            return reached ? .starts : .inside
        }
    }
}
