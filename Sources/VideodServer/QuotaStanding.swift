import Foundation

/// How the last retention sweep left the archive against the disk quota: what it could not drop
/// (every file left is being written, say). `/ready` reports a shortfall, so an orchestrator sees
/// a box about to fill before pushes fail.
final class QuotaStanding: @unchecked Sendable {
    private let lock = NSLock()
    private var _shortfall: Int64 = 0

    /// Bytes still over the quota after the last sweep.
    var shortfall: Int64 {
        get { lock.withLock { _shortfall } }
        set { lock.withLock { _shortfall = newValue } }
    }
}
