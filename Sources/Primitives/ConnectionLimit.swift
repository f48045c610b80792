import Foundation

/// Counts a listener's open connections against its cap (the RTSP and TCP listeners, and the
/// HTTP listener's connection handler, each have one).
public final class ConnectionLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    public let maximum: Int

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a place if one is free.
    public func acquire() -> Bool {
        lock.withLock {
            guard open < maximum else { return false }
            open += 1
            return true
        }
    }

    public func release() {
        lock.withLock { open -= 1 }
    }

    public var count: Int { lock.withLock { open } }
}
