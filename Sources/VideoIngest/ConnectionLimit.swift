import Foundation

/// Counts a listener's open connections against its cap.
final class ConnectionLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a place if one is free.
    func acquire() -> Bool {
        lock.withLock {
            guard open < maximum else { return false }
            open += 1
            return true
        }
    }

    func release() {
        lock.withLock { open -= 1 }
    }

    var count: Int { lock.withLock { open } }
}
