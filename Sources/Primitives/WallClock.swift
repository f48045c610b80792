import Foundation

/// A clock as the server reads it: microseconds (or milliseconds) since the epoch. Services take
/// one of these as a closure so that tests can move time (see `TestSupport.TestClock`).
public typealias MicrosecondClock = @Sendable () -> Int64

public enum WallClock {
    /// Microseconds since the epoch.
    @Sendable public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Milliseconds since the epoch (the resolution of Kinesis arrival times).
    @Sendable public static func millis() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
