import Foundation

/// Commits concurrent appends together: while one caller's transaction (and its fsync) runs,
/// later callers queue up, and the next of them commits the whole queue in one transaction.
/// Each caller still returns only once its own records are durable. (Kinesis records; fragment rows.)
public final class GroupCommit<Request, Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [(id: Int, request: Request)] = []
    private var results: [Int: Swift.Result<Result, any Error>] = [:]
    private var nextID = 0
    private var leading = false
    /// Transactions run so far (a test can see that calls were grouped).
    public private(set) var commits = 0

    /// Requests waiting for the next commit (a test can wait until callers have queued).
    public var queued: Int { condition.withLock { queue.count } }

    /// Adds `request` and blocks until a commit covering it finished. `commit` receives a batch in
    /// arrival order and returns one result per request.
    public init() {}

    public func submit(_ request: Request, commit: ([Request]) throws -> [Result]) throws -> Result {
        condition.lock()
        defer { condition.unlock() }
        let id = nextID
        nextID += 1
        queue.append((id, request))
        while results[id] == nil {
            if leading {
                condition.wait()
                continue
            }
            leading = true
            let batch = queue
            queue = []
            condition.unlock()
            let outcome = Swift.Result { try commit(batch.map(\.request)) }
            condition.lock()
            commits += 1
            for (index, entry) in batch.enumerated() {
                results[entry.id] = outcome.map { $0[index] }
            }
            leading = false
            condition.broadcast()
        }
        return try results.removeValue(forKey: id)!.get()
    }
}
