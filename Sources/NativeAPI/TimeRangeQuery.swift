import Fragments
import Hummingbird
import Primitives
import RouteSupport

/// The `start`, `end` and `timestamps` query parameters shared by listings and media reads.
struct TimeRangeQuery {
    let start: Int64
    let end: Int64
    let kind: TimestampKind

    init(_ request: Request, requireStart: Bool = false) throws {
        let query = request.uri.queryParameters
        func time(_ name: String) throws -> Int64? {
            guard let text = query.get(name) else { return nil }
            guard let value = Timestamp.parse(text) else {
                throw APIError.invalidArgument("\(name) must be RFC 3339 (2026-11-26T17:00:00Z) or epoch seconds (1795712400.5)")
            }
            return value
        }
        let start = try time("start")
        if requireStart && start == nil { throw APIError.invalidArgument("start is required") }
        self.start = start ?? Int64.min / 2
        end = try time("end") ?? Int64.max / 2
        guard self.start < end else { throw APIError.invalidArgument("start must be before end") }
        let kindName = query.get("timestamps") ?? "producer"
        guard let kind = TimestampKind(rawValue: kindName) else {
            throw APIError.invalidArgument("timestamps must be producer or server")
        }
        self.kind = kind
    }
}
