import AWSProtocol
import Foundation
import Fragments

/// ListFragments: the fragments whose start falls in a time range (both ends inclusive), sorted by
/// that time (AWS leaves them unordered; videod's listing is ordered and consistent at once).
extension VideoStreamService {
    func listFragments(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let limit = try a.int("MaxResults") ?? 1000
        guard (1...1000).contains(limit) else { throw VideoStreamError.invalidArgument("MaxResults must be 1 to 1000.") }
        var selection: FragmentSelection
        var cursor: FragmentCursor?
        if let token = try a.string("NextToken") {
            guard let (given, after) = FragmentSelection.decode(token) else {
                throw VideoStreamError.invalidArgument("NextToken is not a token from ListFragments.")
            }
            (selection, cursor) = (given, after)
        } else {
            guard let selector = try a.object("FragmentSelector") else {
                throw VideoStreamError.invalidArgument("FragmentSelector is required unless NextToken is given.")
            }
            selection = try FragmentSelection(selector)
        }
        let found = try store.fragments(streamID: stream.id, kind: selection.kind, startingFrom: selection.start,
                                        through: selection.end, after: cursor, limit: limit + 1)
        let shown = found.prefix(limit)
        var response: [String: AWSValue] = ["Fragments": .array(shown.map { fragment in
            ["FragmentNumber": .string(String(fragment.number)), "FragmentSizeInBytes": .int(Int(fragment.size)),
             "ProducerTimestamp": .timestamp(fragment.producerStart), "ServerTimestamp": .timestamp(fragment.serverStart),
             "FragmentLengthInMilliseconds": .int(Int(fragment.duration / 1000))]
        })]
        if found.count > limit, let last = shown.last {
            response["NextToken"] = .string(selection.encode(after: FragmentCursor(timestamp: last.start(selection.kind),
                                                                                   number: last.number)))
        }
        return .object(response)
    }
}

/// A ListFragments selector: which clock, and the range of fragment starts (µs, inclusive).
struct FragmentSelection: Equatable {
    var kind: TimestampKind
    var start: Int64
    var end: Int64

    init(kind: TimestampKind, start: Int64, end: Int64) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    init(_ selector: RequestMembers) throws {
        switch try selector.required("FragmentSelectorType") {
        case "PRODUCER_TIMESTAMP": kind = .producer
        case "SERVER_TIMESTAMP": kind = .server
        default: throw VideoStreamError.invalidArgument("FragmentSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.")
        }
        guard let range = try selector.object("TimestampRange"), let start = try range.timestampMillis("StartTimestamp"),
              let end = try range.timestampMillis("EndTimestamp") else {
            throw VideoStreamError.invalidArgument("TimestampRange needs StartTimestamp and EndTimestamp.")
        }
        guard start <= end else { throw VideoStreamError.invalidArgument("StartTimestamp must not be after EndTimestamp.") }
        self.start = start * 1000
        // Inclusive, to the millisecond the request can express.
        self.end = end * 1000 + 999
    }

    /// Standard base64 (the model's pattern for NextToken) of the selection and where the page ended.
    func encode(after cursor: FragmentCursor) -> String {
        Data("f1:\(kind.rawValue):\(start):\(end):\(cursor.timestamp):\(cursor.number)".utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> (FragmentSelection, FragmentCursor)? {
        guard let text = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 6, parts[0] == "f1", let kind = TimestampKind(rawValue: String(parts[1])),
              let start = Int64(parts[2]), let end = Int64(parts[3]), let timestamp = Int64(parts[4]),
              let number = Int64(parts[5]) else { return nil }
        return (FragmentSelection(kind: kind, start: start, end: end), FragmentCursor(timestamp: timestamp, number: number))
    }
}
