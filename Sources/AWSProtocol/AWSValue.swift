import Foundation

/// A member of an AWS request or response, typed as the AWS protocols type them. Blobs and
/// timestamps are their own cases, so that each wire encoding writes them its own way (JSON:
/// base64 text and epoch seconds; CBOR: byte strings and tag 1 epoch milliseconds) and no codec
/// has to guess what a `Double` or a `Data` means.
/// An enum rather than `Any`: on Linux every `as?` cast of `Any` to a collection goes through
/// Objective-C bridging, which showed in PutRecords profiles.
public indirect enum AWSValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([AWSValue])
    case object([String: AWSValue])
    /// Raw bytes: base64 text in JSON, a byte string in CBOR.
    case blob([UInt8])
    /// Microseconds since the epoch: epoch seconds in JSON, tag 1 epoch milliseconds in CBOR.
    case timestamp(Int64)

    /// Converts plain Swift values (tests, internal calls); anything unknown becomes null.
    public init(_ any: Any) {
        switch any {
        case let v as AWSValue: self = v
        case let v as String: self = .string(v)
        case let v as Bool where type(of: any) == Bool.self: self = .bool(v)
        case let v as Int: self = .int(v)
        case let v as Int64: self = .int(Int(v))
        case let v as Double: self = .double(v)
        case let v as Data: self = .blob([UInt8](v))
        case let v as [UInt8]: self = .blob(v)
        case let v as [String: Any]: self = .object(v.mapValues(AWSValue.init))
        case let v as [Any]: self = .array(v.map(AWSValue.init))
        default: self = .null
        }
    }

    /// A member of an object, or nil.
    public subscript(key: String) -> AWSValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var int: Int? {
        if case .int(let v) = self { return v }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var array: [AWSValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    public var blob: [UInt8]? {
        if case .blob(let v) = self { return v }
        return nil
    }

    public var timestamp: Int64? {
        if case .timestamp(let v) = self { return v }
        return nil
    }
}

extension AWSValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: AWSValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, AWSValue)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }
}
