import Foundation

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5): how opaque tokens — shard
/// iterators, page tokens, session tokens — travel in JSON bodies and query strings without
/// escaping. Done on bytes (a token is opened on every segment request; Foundation's string
/// replacing was a visible share of serving one).
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = Array(Data(bytes).base64EncodedString().utf8)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "+"): text[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): text[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Nil for anything that is not URL-safe base64 (with or without padding).
    public static func decode(_ text: String) -> Data? {
        decode(bytes: Array(text.utf8)).map { Data($0) }
    }

    /// The same, from and to bytes.
    public static func decode(bytes text: [UInt8]) -> [UInt8]? {
        var standard = text
        for index in standard.indices {
            switch standard[index] {
            case UInt8(ascii: "-"): standard[index] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): standard[index] = UInt8(ascii: "/")
            default: break
            }
        }
        // One symbol past a whole group carries no whole byte: not base64.
        guard standard.count % 4 != 1 else { return nil }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        return Base64.decode(standard[...])
    }
}
