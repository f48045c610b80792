/// Where a paginated listing stopped.
public struct FragmentCursor: Sendable, Equatable {
    public var timestamp: Int64
    public var number: FragmentNumber

    public init(timestamp: Int64, number: FragmentNumber) {
        self.timestamp = timestamp
        self.number = number
    }
}
