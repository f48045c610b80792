import Foundation
import Fragments
import Primitives

/// The opaque token that continues a fragment listing: where the previous page stopped, and by
/// which clock (a token from a producer-time listing is refused by a server-time one).
public enum PageToken {
    public static func encode(_ cursor: FragmentCursor, kind: TimestampKind) -> String {
        Base64URL.encode(Data("v1:\(kind.rawValue):\(cursor.timestamp):\(cursor.number)".utf8))
    }

    public static func decode(_ token: String, kind: TimestampKind) -> FragmentCursor? {
        guard let data = Base64URL.decode(token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 4, parts[0] == "v1", parts[1] == kind.rawValue,
              let timestamp = Int64(parts[2]), let number = Int64(parts[3]) else { return nil }
        return FragmentCursor(timestamp: timestamp, number: number)
    }
}
