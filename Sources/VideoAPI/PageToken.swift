import Foundation
import Fragments

/// The opaque `next` token of a fragment listing: where the previous page stopped, and by which clock.
enum PageToken {
    static func encode(_ cursor: FragmentCursor, kind: TimestampKind) -> String {
        Data("v1:\(kind.rawValue):\(cursor.timestamp):\(cursor.number)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String, kind: TimestampKind) -> FragmentCursor? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 4, parts[0] == "v1", parts[1] == kind.rawValue,
              let timestamp = Int64(parts[2]), let number = Int64(parts[3]) else { return nil }
        return FragmentCursor(timestamp: timestamp, number: number)
    }
}
