import AWSProtocol
import Fragments

/// Where GetMedia begins, from its StartSelector: the number after which fragments are
/// delivered (fragment numbers grow within a stream, so "after" is a position in arrival order).
enum MediaStart {
    static func after(_ selector: RequestMembers, stream: StreamRecord, store: FragmentStore) throws -> FragmentNumber {
        switch try selector.required("StartSelectorType") {
        case "EARLIEST":
            return 0
        case "NOW":
            // The newest fragment, then whatever follows it.
            return (try store.newestFragment(streamID: stream.id)?.number).map { $0 - 1 } ?? 0
        case "FRAGMENT_NUMBER":
            return try number(selector, "AfterFragmentNumber")
        case "CONTINUATION_TOKEN":
            return try number(selector, "ContinuationToken")
        case "SERVER_TIMESTAMP":
            return try containing(selector, kind: .server, stream: stream, store: store)
        case "PRODUCER_TIMESTAMP":
            return try containing(selector, kind: .producer, stream: stream, store: store)
        case let other:
            throw VideoStreamError.invalidArgument("StartSelectorType \(other) is not one of NOW, EARLIEST, FRAGMENT_NUMBER, "
                                                   + "SERVER_TIMESTAMP, PRODUCER_TIMESTAMP, CONTINUATION_TOKEN.")
        }
    }

    /// A fragment number or continuation token (videod's tokens are fragment numbers).
    private static func number(_ selector: RequestMembers, _ key: String) throws -> FragmentNumber {
        guard let text = try selector.string(key) else {
            throw VideoStreamError.invalidArgument("StartSelector needs \(key) for this StartSelectorType.")
        }
        guard text.count <= 128, let number = FragmentNumber(text), number >= 0 else {
            throw VideoStreamError.invalidArgument("\(key) \(text) is not a fragment number of this server.")
        }
        return number
    }

    /// The fragment whose span holds StartTimestamp, else the first that starts after it.
    private static func containing(_ selector: RequestMembers, kind: TimestampKind, stream: StreamRecord,
                                   store: FragmentStore) throws -> FragmentNumber {
        guard let millis = try selector.timestampMillis("StartTimestamp") else {
            throw VideoStreamError.invalidArgument("StartSelector needs StartTimestamp for this StartSelectorType.")
        }
        let time = millis * 1000
        let first = try store.fragments(streamID: stream.id, kind: kind, from: time, to: time + 1, limit: 1).first
            ?? store.fragments(streamID: stream.id, kind: kind, startingFrom: time, through: Int64(1) << 53, after: nil, limit: 1).first
        // Nothing there yet: begin with whatever arrives next.
        if let first { return first.number - 1 }
        return try store.newestFragment(streamID: stream.id)?.number ?? 0
    }
}
