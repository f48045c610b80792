import Foundation
import Primitives

/// The opaque token that continues an events listing: a position in the events' log.
enum EventPageToken {
    static func encode(_ position: Int64) -> String {
        Base64URL.encode(Data("e1:\(position)".utf8))
    }

    static func decode(_ token: String) -> Int64? {
        guard let data = Base64URL.decode(token), let text = String(data: data, encoding: .utf8), text.hasPrefix("e1:"),
              let position = Int64(text.dropFirst(3)), position >= 0 else { return nil }
        return position
    }
}
