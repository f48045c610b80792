import AWSProtocol
import DataStreams

/// PutRecords over JSON without the general member tree: the request's usual shape (StreamName
/// or StreamARN, Records of Data/PartitionKey/ExplicitHashKey strings) is read straight into
/// typed records, and the reply is written straight from them. The hot path of event producers.
enum PutRecordsJSON {
    private struct Unusual: Error {}

    /// The typed request, or nil for anything unusual — another member, another type, an escape in
    /// the base64, malformed JSON — which then takes the general path and gets its exact errors.
    static func decode(_ bytes: [UInt8]) -> PutRecordsInput? {
        var reader = JSONReader(bytes: bytes)
        var stream: [String: AWSValue] = [:]
        var records: [PutRecordsInput.Entry]?
        do {
            try reader.members(depth: 0) { reader, key in
                switch key {
                case "StreamName", "StreamARN":
                    guard reader.peek() == UInt8(ascii: "\"") else { throw Unusual() }
                    stream[key] = .string(try reader.string())
                case "Records":
                    records = try entries(&reader)
                default:
                    throw Unusual()
                }
            }
        } catch {
            return nil
        }
        guard reader.isAtEnd(), let records else { return nil }
        return PutRecordsInput(stream: RequestMembers(values: stream), records: records)
    }

    private static func entries(_ reader: inout JSONReader) throws -> [PutRecordsInput.Entry] {
        var list: [PutRecordsInput.Entry] = []
        list.reserveCapacity(500)
        try reader.elements(depth: 1) { reader in
            var data: [UInt8]?, partitionKey: String?, hashKey: String?
            try reader.members(depth: 2) { reader, name in
                guard reader.peek() == UInt8(ascii: "\"") else { throw Unusual() }
                switch name {
                case "Data":
                    guard let blob = reader.base64String() else { throw Unusual() }
                    data = blob
                case "PartitionKey": partitionKey = try reader.string()
                case "ExplicitHashKey": hashKey = try reader.string()
                default: throw Unusual()
                }
            }
            guard let data, let partitionKey else { throw Unusual() }
            list.append(.init(data: data, partitionKey: partitionKey, explicitHashKey: hashKey))
        }
        return list
    }

    static func encode(_ output: PutRecordsOutput) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(80 + output.records.count * 110)
        out += #"{"EncryptionType":"NONE","FailedRecordCount":"#.utf8
        out += String(output.failedRecordCount).utf8
        out += #","Records":["#.utf8
        for (index, entry) in output.records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            switch entry {
            case let .stored(shardID, sequenceNumber):
                out += #"{"SequenceNumber":""#.utf8
                out += sequenceNumber.utf8
                out += #"","ShardId":""#.utf8
                out += shardID.utf8
                out += #""}"#.utf8
            case let .failed(code, message):
                out += #"{"ErrorCode":"#.utf8
                JSONWriter.writeString(code, into: &out)
                out += #","ErrorMessage":"#.utf8
                JSONWriter.writeString(message, into: &out)
                out.append(UInt8(ascii: "}"))
            }
        }
        out += "]}".utf8
        return out
    }
}
