import Foundation

/// A decoded request member. An enum rather than `Any`: on Linux every `as?` cast of `Any` to a
/// collection goes through Objective-C bridging, which cost a third of a PutRecords call.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])
    /// Raw bytes, for wire encodings that carry blobs natively (CBOR).
    case bytes([UInt8])

    /// Converts plain Swift values (tests, internal calls); anything unknown becomes null.
    public init(_ any: Any) {
        switch any {
        case let v as JSONValue: self = v
        case let v as String: self = .string(v)
        case let v as Bool where type(of: any) == Bool.self: self = .bool(v)
        case let v as Int: self = .int(v)
        case let v as Int64: self = .int(Int(v))
        case let v as Double: self = .double(v)
        case let v as Data: self = .bytes([UInt8](v))
        case let v as [UInt8]: self = .bytes(v)
        case let v as [String: Any]: self = .object(v.mapValues(JSONValue.init))
        case let v as [Any]: self = .array(v.map(JSONValue.init))
        default: self = .null
        }
    }
}
