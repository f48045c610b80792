import Foundation
import RouteSupport

/// A settings body (analysis, retention): a JSON object whose unknown members are refused — a
/// misspelt key must not be silently ignored — decoded with the member that has the wrong type
/// named.
enum SettingsBody {
    static func decode<Settings: Decodable>(_ type: Settings.Type, from data: Data, known: [String], what: String) throws -> Settings {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.invalidArgument("the body must be a JSON object of \(what) settings")
        }
        let known = Set(known)
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalidArgument("unknown \(what) setting \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        do {
            return try JSONDecoder().decode(Settings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.invalidArgument("\(what) setting \(path) has the wrong type: \(context.debugDescription)")
        }
    }
}
