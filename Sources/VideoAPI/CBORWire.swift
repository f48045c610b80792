import DataStreams
import Foundation

/// The `application/x-amz-cbor-1.1` encoding the AWS Java SDKs (and so KCL) use by default.
/// Blobs are byte strings; timestamps are tag 1 around an integer count of epoch milliseconds
/// (AWS's reading, not RFC 8949's seconds); errors are maps with `__type` and `message`.
enum CBORWire {
    struct Failure: Error {}

    // MARK: reading

    static func decode(_ data: Data) throws -> JSONValue {
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

        mutating func item(depth: Int) throws -> JSONValue {
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
            case 2: return .bytes(Array(try take(try argument(info))))
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
                var object: [String: JSONValue] = [:]
                for _ in 0..<count {
                    guard case .string(let key) = try item(depth: depth + 1) else { throw Failure() }
                    object[key] = try item(depth: depth + 1)
                }
                return .object(object)
            case 6:
                let tag = try argument(info)
                let inner = try item(depth: depth + 1)
                guard tag == 1 else { return inner }
                // Epoch milliseconds (AWS) become seconds, as the JSON protocol carries them.
                switch inner {
                case .int(let ms): return .double(Double(ms) / 1000)
                case .double(let ms): return .double(ms / 1000)
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

    /// Encodes a response dictionary. Every `Double` in a KDS response is a timestamp, so doubles
    /// are written as tag 1 around integer epoch milliseconds.
    static func encode(_ value: Any) -> [UInt8] {
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

    private static func write(_ value: Any, into out: inout [UInt8]) {
        switch value {
        case let s as String:
            head(3, UInt64(s.utf8.count), into: &out)
            out += s.utf8
        case let b as Bool where type(of: value) == Bool.self: out.append(b ? 0xF5 : 0xF4)
        case let i as Int: writeInt(Int64(i), into: &out)
        case let i as Int64: writeInt(i, into: &out)
        case let d as Double:
            out.append(0xC1) // tag 1: epoch time
            writeInt(Int64((d * 1000).rounded()), into: &out)
        case let data as Data:
            head(2, UInt64(data.count), into: &out)
            out += data
        case let dictionary as [String: Any]:
            head(5, UInt64(dictionary.count), into: &out)
            for (key, item) in dictionary {
                write(key, into: &out)
                write(item, into: &out)
            }
        case let array as [Any]:
            head(4, UInt64(array.count), into: &out)
            for item in array { write(item, into: &out) }
        default:
            out.append(0xF6)
        }
    }

    private static func writeInt(_ i: Int64, into out: inout [UInt8]) {
        if i >= 0 { head(0, UInt64(i), into: &out) } else { head(1, UInt64(-1 - i), into: &out) }
    }
}
