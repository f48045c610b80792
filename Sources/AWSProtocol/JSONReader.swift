import Foundation
import Primitives

/// Parses a request body into `AWSValue`s (strings, numbers, booleans, null, arrays, objects:
/// JSON cannot tell a blob or a timestamp from a string or a number, so `RequestMembers` does).
/// Hand-written for the same reason as `JSONWriter`: Foundation's parser on Linux returns bridged
/// collections whose every cast is slow. Depth is bounded so a hostile body cannot exhaust the
/// stack. Besides `parse`, it offers a cursor (`members`, `elements`, `string`, `base64String`)
/// for readers of one operation's request shape that skip the member tree.
public struct JSONReader {
    public struct Failure: Error {}

    private let bytes: [UInt8]
    private var index = 0
    static let maxDepth = 64

    public static func parse(_ data: Data) throws -> AWSValue {
        var reader = JSONReader(bytes: [UInt8](data))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw Failure() }
        return value
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next byte (after any space), without consuming it; nil at the end.
    public mutating func peek() -> UInt8? {
        skipSpace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Only space is left.
    public mutating func isAtEnd() -> Bool {
        peek() == nil
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws -> AWSValue {
        guard depth < Self.maxDepth, index < bytes.count else { throw Failure() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else { throw Failure() }
        index += expected.count
    }

    private mutating func object(depth: Int) throws -> [String: AWSValue] {
        var result: [String: AWSValue] = [:]
        try members(depth: depth) { reader, key in result[key] = try reader.value(depth: depth + 1) }
        return result
    }

    private mutating func array(depth: Int) throws -> [AWSValue] {
        var result: [AWSValue] = []
        try elements(depth: depth) { reader in result.append(try reader.value(depth: depth + 1)) }
        return result
    }

    /// Walks the object that starts here: `body` reads each member's value (it must consume it).
    public mutating func members(depth: Int, _ body: (inout JSONReader, String) throws -> Void) throws {
        guard depth < Self.maxDepth, peek() == UInt8(ascii: "{") else { throw Failure() }
        index += 1
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw Failure() }
            let key = try string()
            guard peek() == UInt8(ascii: ":") else { throw Failure() }
            index += 1
            skipSpace()
            try body(&self, key)
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw Failure()
            }
        }
    }

    /// Walks the array that starts here: `body` reads each element (it must consume it).
    public mutating func elements(depth: Int, _ body: (inout JSONReader) throws -> Void) throws {
        guard depth < Self.maxDepth, peek() == UInt8(ascii: "[") else { throw Failure() }
        index += 1
        if peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipSpace()
            try body(&self)
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw Failure()
            }
        }
    }

    /// The next `"` after `start` (memchr: the blobs are most of a PutRecords body).
    private func closingQuote(after start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            let from = start + 1
            guard from < buffer.count, let base = buffer.baseAddress,
                  let found = memchr(base + from, Int32(UInt8(ascii: "\"")), buffer.count - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// A string of standard base64 without escapes, decoded straight from the body; nil (nothing
    /// consumed) for anything else, which the caller then reads the general way.
    public mutating func base64String() -> [UInt8]? {
        guard peek() == UInt8(ascii: "\""),
              let end = closingQuote(after: index),
              let decoded = Base64.decode(bytes[(index + 1)..<end]) else { return nil }
        index = end + 1
        return decoded
    }

    public mutating func string() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        var ascii = true
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw Failure() }
            ascii = ascii && bytes[index] < 0x80
            index += 1
        }
        guard index < bytes.count else { throw Failure() }
        if bytes[index] == UInt8(ascii: "\"") {
            // No escapes (the common case): copy once; only non-ASCII text needs UTF-8 validation
            // (String(validating:) on a slice is generic and showed in profiles).
            index += 1
            let range = start..<(index - 1)
            if ascii {
                return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
            }
            guard let text = String(validating: bytes[range], as: UTF8.self) else { throw Failure() }
            return text
        }
        var out = Array(bytes[start..<index])
        while bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw Failure() }
                switch bytes[index] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") else {
                            throw Failure()
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Failure() }
                    out += Array(String(Character(unicode)).utf8)
                default: throw Failure()
                }
                index += 1
            } else {
                guard bytes[index] >= 0x20 else { throw Failure() }
                out.append(bytes[index])
                index += 1
            }
            guard index < bytes.count else { throw Failure() }
        }
        index += 1
        guard let text = String(validating: out, as: UTF8.self) else { throw Failure() }
        return text
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 < bytes.count else { throw Failure() }
        var value: UInt32 = 0
        for offset in 1...4 {
            let c = bytes[index + offset]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x41...0x46: digit = UInt32(c - 0x37)
            case 0x61...0x66: digit = UInt32(c - 0x57)
            default: throw Failure()
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    private mutating func number() throws -> AWSValue {
        let start = index
        var integral = true
        while index < bytes.count {
            let c = bytes[index]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                index += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                integral = false
                index += 1
            } else {
                break
            }
        }
        guard index > start else { throw Failure() }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let int = Int(text) { return .int(int) }
        guard let double = Double(text), double.isFinite else { throw Failure() }
        return .double(double)
    }
}
