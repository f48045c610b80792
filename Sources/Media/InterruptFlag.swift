import Foundation
import CFFmpeg

/// A flag a libav read polls so that another thread can stop a blocked network read.
public final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public var isRaised: Bool { lock.withLock { raised } }

    public func raise() { lock.withLock { raised = true } }
}
