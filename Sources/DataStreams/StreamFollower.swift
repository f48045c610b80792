import AWSProtocol
/// Reads a whole data stream (every shard) forward from a position, for push delivery (SSE).
/// The position is one next-counter per shard; its text form — the last delivered sequence
/// number of each shard, comma-separated — is what a client sends back to resume.
public struct StreamFollower: Sendable {
    public private(set) var next: [Int: Int64]
    public let streamID: Int64

    /// - Parameter resume: a cursor (`seq,seq,…`) or a single sequence number; other shards then
    ///   start at the first record that arrived after it. Nil: only records appended from now on.
    public init(stream: DataStreamRecord, resume: String?, service: DataStreamService) throws {
        streamID = stream.id
        var next: [Int: Int64] = [:]
        let given = (resume ?? "").split(separator: ",").compactMap { SequenceNumber.parse(String($0)) }
        if resume != nil && !resume!.isEmpty && given.isEmpty {
            throw AWSError.invalidArgument("Last-Event-ID must be a sequence number or a cursor from this stream")
        }
        for shard in stream.shards {
            if let position = given.first(where: { $0.shard == shard.index }) {
                next[shard.index] = position.counter + 1
            } else if let anchor = given.first,
                      let arrival = try service.log.read(streamID: stream.id, shard: anchor.shard, from: anchor.counter,
                                                         notBefore: 0, limit: 1, maxBytes: 1).first?.arrival {
                next[shard.index] = try service.log.firstCounter(streamID: stream.id, shard: shard.index, arrivedAtOrAfter: arrival + 1)
                    ?? (try service.log.newest(streamID: stream.id, shard: shard.index)?.counter ?? 0) + 1
            } else {
                next[shard.index] = (try service.log.newest(streamID: stream.id, shard: shard.index)?.counter ?? 0) + 1
            }
        }
        self.next = next
    }

    /// Records available now, oldest arrival first across shards; advances the position.
    public mutating func poll(service: DataStreamService, limit: Int = 500) throws -> [StoredRecord] {
        var batch: [StoredRecord] = []
        for (shard, counter) in next.sorted(by: { $0.key < $1.key }) {
            let records = try service.log.read(streamID: streamID, shard: shard, from: counter, notBefore: 0,
                                               limit: limit, maxBytes: 4 << 20)
            if let last = records.last { next[shard] = last.sequence + 1 }
            batch += records
        }
        return batch.sorted { ($0.arrival, $0.shard, $0.sequence) < ($1.arrival, $1.shard, $1.sequence) }
    }

    /// Moves past one delivered record (to give each record its own resume cursor).
    public mutating func advance(past record: StoredRecord) {
        next[record.shard] = max(next[record.shard] ?? 0, record.sequence + 1)
    }

    /// The resume cursor after everything delivered so far.
    public var cursor: String {
        next.sorted { $0.key < $1.key }.map { SequenceNumber.format(shard: $0.key, counter: max($0.value - 1, 0)) }
            .joined(separator: ",")
    }
}
