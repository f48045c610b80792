import Foundation

/// Writes an `AWSValue` as JSON the way the AWS JSON protocols carry it: blobs as base64 text,
/// timestamps as epoch seconds with up to six fraction digits. Hand-written because Foundation's
/// JSONSerialization on Linux spends most of its time bridging to NSDictionary/NSArray.
public enum JSONWriter {
    public static func encode(_ value: AWSValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out)
        return out
    }

    private static func write(_ value: AWSValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): writeString(s, into: &out)
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += number(d).utf8
        case .null: out += "null".utf8
        case .blob(let bytes): writeString(Data(bytes).base64EncodedString(), into: &out)
        case .timestamp(let micros): out += epochSeconds(micros).utf8
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, item) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// Whole numbers print without a fraction; others as Swift prints them (shortest round trip).
    private static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// Microseconds as epoch seconds, exactly (no binary fraction): `1795712400.25`.
    static func epochSeconds(_ micros: Int64) -> String {
        let magnitude = micros.magnitude
        let whole = String(magnitude / 1_000_000)
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (micros < 0 ? "-" : "") + (fraction.isEmpty ? whole : whole + "." + fraction)
    }

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (ids, sequence numbers, base64) need no escaping: copy them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s.utf8
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [92, 34]
            case UInt8(ascii: "\\"): out += [92, 92]
            case 0x0A: out += [92, UInt8(ascii: "n")]
            case 0x0D: out += [92, UInt8(ascii: "r")]
            case 0x09: out += [92, UInt8(ascii: "t")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
