import Foundation
import Primitives

/// A decoded request body (JSON or CBOR) with typed accessors that fail the way AWS does: a
/// wrong type or a missing required member is a `ValidationException`.
public struct RequestMembers: Sendable {
    public let values: [String: AWSValue]

    public init(values: [String: AWSValue]) {
        self.values = values
    }

    /// From plain Swift values (tests and internal calls).
    public init(_ values: [String: Any]) {
        self.values = values.mapValues(AWSValue.init)
    }

    private func member(_ key: String) -> AWSValue? {
        guard let value = values[key], value != .null else { return nil }
        return value
    }

    public func string(_ key: String) throws -> String? {
        guard let value = member(key) else { return nil }
        guard case .string(let text) = value else { throw AWSError.validation("\(key) must be a string") }
        return text
    }

    public func required(_ key: String) throws -> String {
        guard let text = try string(key) else {
            throw AWSError.validation("1 validation error detected: Value null at '\(lowerFirst(key))' failed to satisfy constraint: Member must not be null")
        }
        return text
    }

    public func int(_ key: String) throws -> Int? {
        switch member(key) {
        case nil: return nil
        case .int(let v): return v
        case .double(let v) where v == v.rounded() && abs(v) < 1e15: return Int(v)
        default: throw AWSError.validation("\(key) must be an integer")
        }
    }

    public func bool(_ key: String) throws -> Bool? {
        switch member(key) {
        case nil: return nil
        case .bool(let v): return v
        default: throw AWSError.validation("\(key) must be a boolean")
        }
    }

    /// A timestamp in milliseconds since the epoch: epoch seconds (possibly fractional) in JSON,
    /// tag 1 in CBOR. Numbers above 10^11 are taken as milliseconds already (the Java v1 SDK
    /// with CBOR disabled sends those). A time outside `Timestamp.validRange` (or NaN) is an
    /// `InvalidArgumentException`.
    public func timestampMillis(_ key: String) throws -> Int64? {
        let seconds: Double
        switch member(key) {
        case nil: return nil
        case .timestamp(let micros):
            guard Timestamp.validRange.contains(micros) else { throw outOfRange(key) }
            return micros / 1000
        case .int(let v): seconds = Double(v)
        case .double(let v): seconds = v
        default: throw AWSError.validation("\(key) must be a timestamp")
        }
        guard let micros = Timestamp.microseconds(fromSeconds: seconds > 1e11 ? seconds / 1000 : seconds) else {
            throw outOfRange(key)
        }
        return micros / 1000
    }

    private func outOfRange(_ key: String) -> AWSError {
        AWSError.invalidArgument("\(key) is not a time between the years 1685 and 2255")
    }

    /// A blob: base64 text in JSON, raw bytes in CBOR.
    public func blob(_ key: String) throws -> [UInt8]? {
        switch member(key) {
        case nil: return nil
        case .blob(let v): return v
        case .string(let text):
            guard let data = Data(base64Encoded: text) else { throw AWSError.validation("\(key) must be base64") }
            return [UInt8](data)
        default: throw AWSError.validation("\(key) must be a blob")
        }
    }

    public func object(_ key: String) throws -> RequestMembers? {
        switch member(key) {
        case nil: return nil
        case .object(let fields): return RequestMembers(values: fields)
        default: throw AWSError.validation("\(key) must be an object")
        }
    }

    public func stringMap(_ key: String) throws -> [String: String]? {
        guard let object = try object(key) else { return nil }
        return try object.values.mapValues { value in
            guard case .string(let text) = value else { throw AWSError.validation("\(key) values must be strings") }
            return text
        }
    }

    public func array(_ key: String) throws -> [AWSValue]? {
        switch member(key) {
        case nil: return nil
        case .array(let items): return items
        default: throw AWSError.validation("\(key) must be a list")
        }
    }

    public func stringArray(_ key: String) throws -> [String]? {
        try array(key)?.map { value in
            guard case .string(let text) = value else { throw AWSError.validation("\(key) must be a list of strings") }
            return text
        }
    }

    private func lowerFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }
}
