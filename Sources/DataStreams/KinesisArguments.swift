import Foundation

/// A decoded request body (from JSON now, CBOR later) with typed accessors that fail the way
/// AWS does: a wrong type is a `SerializationException`-style validation error, a missing
/// required member a `ValidationException`.
public struct KinesisArguments {
    public let values: [String: Any]

    public init(_ values: [String: Any]) {
        self.values = values
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw KinesisError.validation("\(key) must be a string") }
        return text
    }

    func required(_ key: String) throws -> String {
        guard let text = try string(key) else {
            throw KinesisError.validation("1 validation error detected: Value null at '\(lowerFirst(key))' failed to satisfy constraint: Member must not be null")
        }
        return text
    }

    func int(_ key: String) throws -> Int? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let number = Self.number(value), number == number.rounded(), abs(number) < 1e15 else {
            throw KinesisError.validation("\(key) must be an integer")
        }
        return Int(number)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard type(of: value) == Bool.self || value is NSNumber, let flag = value as? Bool else { throw KinesisError.validation("\(key) must be a boolean") }
        return flag
    }

    /// Epoch seconds (JSON number, possibly fractional) → milliseconds. Values above 10^11 are
    /// taken as milliseconds already (Java v1 SDK with CBOR disabled sends those).
    func timestampMillis(_ key: String) throws -> Int64? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let date = value as? Date { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        guard let seconds = Self.number(value) else { throw KinesisError.validation("\(key) must be a timestamp") }
        return seconds > 1e11 ? Int64(seconds) : Int64((seconds * 1000).rounded())
    }

    /// A blob: base64 text in JSON, raw bytes in CBOR.
    func blob(_ key: String) throws -> [UInt8]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let data = value as? Data { return [UInt8](data) }
        if let text = value as? String {
            guard let data = Data(base64Encoded: text) else { throw KinesisError.validation("\(key) must be base64") }
            return [UInt8](data)
        }
        throw KinesisError.validation("\(key) must be a blob")
    }

    func object(_ key: String) throws -> [String: Any]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw KinesisError.validation("\(key) must be an object") }
        return object
    }

    func array(_ key: String) throws -> [Any]? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw KinesisError.validation("\(key) must be a list") }
        return array
    }

    /// A JSON number as decoded on either platform (Swift Int/Double, or NSNumber), never a Bool.
    private static func number(_ value: Any) -> Double? {
        // On Linux an NSNumber also casts to Bool, so a Bool is recognised by its exact type only.
        if type(of: value) == Bool.self { return nil }
        switch value {
        case let v as Int: return Double(v)
        case let v as Int64: return Double(v)
        case let v as Double: return v
        case let v as Decimal: return NSDecimalNumber(decimal: v).doubleValue
        case let v as NSNumber: return v.doubleValue
        default: return nil
        }
    }

    private func lowerFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }
}
