import Foundation

/// A clock that moves only when told, for expiry and retention tests. Services take clocks as
/// closures: pass `micros` or `millis`.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    /// - Parameter start: microseconds since the epoch (default 2026-11-26T17:00:00Z).
    public init(start: Int64 = 1_795_712_400_000_000) {
        now = start
    }

    public var micros: @Sendable () -> Int64 { { [self] in lock.withLock { now } } }
    public var millis: @Sendable () -> Int64 { { [self] in lock.withLock { now / 1000 } } }

    public func advance(milliseconds: Int64) {
        lock.withLock { now += milliseconds * 1000 }
    }
}
