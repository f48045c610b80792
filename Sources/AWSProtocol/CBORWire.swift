import Foundation

/// The `application/x-amz-cbor-1.1` encoding the AWS Java SDKs (and so KCL) use by default.
/// Blobs are byte strings; timestamps are tag 1 around an integer count of epoch milliseconds
/// (AWS's reading, not RFC 8949's seconds); errors are maps with `__type` and `message`.
public enum CBORWire {
    public struct Failure: Error {}

    // MARK: reading

    public static func decode(_ data: Data) throws -> AWSValue {
        var reader = Reader(bytes: [UInt8](data))
        let value = try reader.item(depth: 0)
        guard reader.index == reader.bytes.count else { throw Failure() }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func byte() throws -> UInt8 {
            guard index < bytes.count else { throw Failure() }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func argument(_ info: UInt8) throws -> UInt64 {
            switch info {
            case 0..<24: return UInt64(info)
            case 24: return UInt64(try byte())
            case 25, 26, 27:
                let count = 1 << (info - 24)
                var value: UInt64 = 0
                for _ in 0..<count { value = value << 8 | UInt64(try byte()) }
                return value
            default: throw Failure() // indefinite lengths are not used by the AWS SDKs
            }
        }

        mutating func take(_ count: UInt64) throws -> ArraySlice<UInt8> {
            guard count <= UInt64(bytes.count - index) else { throw Failure() }
            defer { index += Int(count) }
            return bytes[index..<(index + Int(count))]
        }

        mutating func item(depth: Int) throws -> AWSValue {
            guard depth < 64 else { throw Failure() }
            let initial = try byte()
            let major = initial >> 5, info = initial & 0x1F
            switch major {
            case 0:
                let v = try argument(info)
                guard v <= UInt64(Int.max) else { throw Failure() }
                return .int(Int(v))
            case 1:
                let v = try argument(info)
                guard v < UInt64(Int.max) else { throw Failure() }
                return .int(-1 - Int(v))
            case 2: return .blob(Array(try take(try argument(info))))
            case 3:
                guard let text = String(validating: try take(try argument(info)), as: UTF8.self) else { throw Failure() }
                return .string(text)
            case 4:
                let count = try argument(info)
                guard count <= UInt64(bytes.count) else { throw Failure() }
                return .array(try (0..<count).map { _ in try item(depth: depth + 1) })
            case 5:
                let count = try argument(info)
                guard count <= UInt64(bytes.count) else { throw Failure() }
                var object: [String: AWSValue] = [:]
                for _ in 0..<count {
                    guard case .string(let key) = try item(depth: depth + 1) else { throw Failure() }
                    object[key] = try item(depth: depth + 1)
                }
                return .object(object)
            case 6:
                let tag = try argument(info)
                let inner = try item(depth: depth + 1)
                guard tag == 1 else { return inner }
                // AWS's reading of tag 1: epoch milliseconds.
                switch inner {
                case .int(let ms):
                    let (micros, overflow) = Int64(ms).multipliedReportingOverflow(by: 1000)
                    guard !overflow else { throw Failure() }
                    return .timestamp(micros)
                case .double(let ms):
                    guard let micros = Int64(exactly: (ms * 1000).rounded()) else { throw Failure() }
                    return .timestamp(micros)
                default: throw Failure()
                }
            default:
                switch info {
                case 20: return .bool(false)
                case 21: return .bool(true)
                case 22, 23: return .null
                case 25: return .double(Double(Float16(bitPattern: UInt16(try argument(25)))))
                case 26: return .double(Double(Float(bitPattern: UInt32(try argument(26)))))
                case 27: return .double(Double(bitPattern: try argument(27)))
                default: throw Failure()
                }
            }
        }
    }

    // MARK: writing

    /// Encodes a response: blobs as byte strings, timestamps as tag 1 around integer epoch
    /// milliseconds.
    public static func encode(_ value: AWSValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    private static func head(_ major: UInt8, _ value: UInt64, into out: inout [UInt8]) {
        let m = major << 5
        switch value {
        case 0..<24: out.append(m | UInt8(value))
        case 24..<0x100: out += [m | 24, UInt8(value)]
        case 0x100..<0x10000: out += [m | 25, UInt8(value >> 8), UInt8(value & 0xFF)]
        case 0x10000..<0x1_0000_0000: out += [m | 26] + (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt64($0))) }
        default: out += [m | 27] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
        }
    }

    private static func write(_ value: AWSValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s):
            head(3, UInt64(s.utf8.count), into: &out)
            out += s.utf8
        case .bool(let b): out.append(b ? 0xF5 : 0xF4)
        case .int(let i): writeInt(Int64(i), into: &out)
        case .double(let d):
            out.append(0xFB) // float64
            let bits = d.bitPattern
            out += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
        case .null: out.append(0xF6)
        case .timestamp(let micros):
            out.append(0xC1) // tag 1: epoch time
            writeInt(micros / 1000, into: &out)
        case .blob(let bytes):
            head(2, UInt64(bytes.count), into: &out)
            out += bytes
        case .object(let members):
            head(5, UInt64(members.count), into: &out)
            for (key, item) in members {
                write(.string(key), into: &out)
                write(item, into: &out)
            }
        case .array(let items):
            head(4, UInt64(items.count), into: &out)
            for item in items { write(item, into: &out) }
        }
    }

    private static func writeInt(_ i: Int64, into out: inout [UInt8]) {
        if i >= 0 { head(0, UInt64(i), into: &out) } else { head(1, UInt64(-1 - i), into: &out) }
    }
}
