import Foundation
@testable import AWSProtocol
@testable import DataStreams
@testable import KDSAPI
import Fragments
import Playback
import Primitives

/// Request bodies through the JSON reader and every typed accessor.
enum JSONHarness {
    static func run(_ bytes: [UInt8]) {
        guard case .object(let members)? = try? JSONReader.parse(Data(bytes)) else { return }
        let request = RequestMembers(values: members)
        for key in members.keys {
            _ = try? request.string(key)
            _ = try? request.int(key)
            _ = try? request.bool(key)
            _ = try? request.timestampMillis(key)
            _ = try? request.blob(key)
            _ = try? request.stringMap(key)
            _ = try? request.stringArray(key)
        }
        // What the reader accepts, the writer writes and the reader reads back the same (a whole
        // number may come back as an integer: JSON does not tell 1.0 from 1).
        let written = JSONWriter.encode(.object(members))
        require((try? JSONReader.parse(Data(written))).map(normalized) == normalized(.object(members)), "JSON round trip")
    }

    static func normalized(_ value: AWSValue) -> AWSValue {
        switch value {
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: .int(Int(d))
        case .array(let items): .array(items.map(normalized))
        case .object(let members): .object(members.mapValues(normalized))
        default: value
        }
    }
}

/// PutRecords' fast path: anything it decodes, the general path decodes to the same records.
enum PutRecordsHarness {
    static func run(_ bytes: [UInt8]) {
        guard let fast = PutRecordsJSON.decode(bytes) else { return }
        guard case .object(let members)? = try? JSONReader.parse(Data(bytes)),
              let records = try? RequestMembers(values: members).array("Records") else {
            return require(false, "the fast path read what the general reader refuses")
        }
        require(records.count == fast.records.count, "record count")
        for (entry, value) in zip(fast.records, records) {
            guard case .object(let fields) = value else { return require(false, "record shape") }
            let general = RequestMembers(values: fields)
            require((try? general.blob("Data")) == entry.data, "Data")
            require((try? general.string("PartitionKey")) == entry.partitionKey, "PartitionKey")
        }
    }
}

/// CBOR bodies: decoding never traps, and what decodes re-encodes to something that decodes the same.
enum CBORHarness {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? CBORWire.decode(Data(bytes)) else { return }
        if case .object(let members) = value {
            for key in members.keys { _ = try? RequestMembers(values: members).timestampMillis(key) }
        }
        guard !containsNaN(value) else { return } // NaN is not equal to itself
        // AWS's CBOR timestamps are whole milliseconds: finer parts do not survive a round trip.
        require((try? CBORWire.decode(Data(CBORWire.encode(value)))).map(toMilliseconds) == toMilliseconds(value), "CBOR round trip")
    }

    static func toMilliseconds(_ value: AWSValue) -> AWSValue {
        switch value {
        case .timestamp(let micros): .timestamp(micros / 1000 * 1000)
        case .array(let items): .array(items.map(toMilliseconds))
        case .object(let members): .object(members.mapValues(toMilliseconds))
        default: value
        }
    }

    static func containsNaN(_ value: AWSValue) -> Bool {
        switch value {
        case .double(let d): d.isNaN
        case .array(let items): items.contains(where: containsNaN)
        case .object(let members): members.values.contains(where: containsNaN)
        default: false
        }
    }
}

/// Strict base64 agrees with Foundation on whatever both accept; base64url never traps.
enum Base64Harness {
    static func run(_ bytes: [UInt8]) {
        if let ours = Base64.decode(bytes[...]) {
            require(Data(base64Encoded: Data(bytes)).map { [UInt8]($0) } == ours, "base64 disagrees with Foundation")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let decoded = Base64URL.decode(text) {
            require(Base64URL.decode(Base64URL.encode(decoded)) == decoded, "base64url round trip")
        }
    }
}

/// Opaque tokens from clients: shard iterators (signed), sequence numbers, page tokens.
enum TokenHarness {
    static let secret = [UInt8](repeating: 7, count: 32)

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let iterator = ShardIterator.decode(text, secret: secret) {
            require(iterator.encode(secret: secret) == text, "a forged iterator decoded")
        }
        if let parsed = SequenceNumber.parse(text) {
            require(parsed.counter < Int64.max && parsed.counter >= 0, "counter \(parsed.counter)")
            _ = parsed.counter + 1
        }
        _ = ShardID.parse(text)
        _ = ARN.dataStreamName(from: text)
        for kind in TimestampKind.allCases {
            if let cursor = PageToken.decode(text, kind: kind) {
                require(PageToken.decode(PageToken.encode(cursor, kind: kind), kind: kind) == cursor, "page token round trip")
            }
        }
    }
}

/// `Authorization` headers and dates through the SigV4 verifier.
enum SigV4Harness {
    static let verifier = SigV4Verifier(keys: .init(["AKFUZZ": "secret"]))

    static func run(_ bytes: [UInt8]) {
        let parts = pieces(bytes, maxCount: 4).map { String(decoding: $0, as: UTF8.self) }
        guard parts.count >= 2 else { return }
        let input = SigV4Verifier.Input(method: "POST", path: parts.count > 2 ? parts[2] : "/", query: parts.count > 3 ? parts[3] : "",
                                        headers: ["Authorization": parts[0], "X-Amz-Date": parts[1], "Host": "localhost"],
                                        payloadHash: SigV4Verifier.sha256Hex(Data()))
        _ = try? verifier.verify(input)
        _ = SigV4Verifier.canonicalQuery(parts[0])
        _ = SigV4Verifier.canonicalPath(parts[1])
    }
}

/// Times as headers and query strings carry them.
enum TimestampHarness {
    static func run(_ bytes: [UInt8]) {
        guard let micros = Timestamp.parse(String(decoding: bytes, as: UTF8.self)) else { return }
        require(Timestamp.validRange.contains(micros), "parsed out of range: \(micros)")
        require(Timestamp.parse(Timestamp.rfc3339(micros)) == micros, "RFC 3339 round trip of \(micros)")
        _ = Timestamp.microseconds(fromSeconds: Timestamp.seconds(micros))
    }
}
