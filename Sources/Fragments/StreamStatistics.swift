/// Totals over a stream's stored fragments.
public struct StreamStatistics: Sendable, Equatable {
    public var fragmentCount: Int
    public var bytes: Int64
    public var firstProducer: Int64?
    public var lastProducer: Int64?
    public var firstServer: Int64?
    public var lastServer: Int64?
}
