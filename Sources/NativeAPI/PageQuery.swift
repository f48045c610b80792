import Hummingbird
import RouteSupport

/// The `limit` and `next` query parameters of a paged listing.
struct PageQuery<Position> {
    let limit: Int
    let after: Position?

    /// - Parameter decode: the listing's token → position, nil for a token that is not its own.
    init(_ request: Request, defaultLimit: Int, maxLimit: Int, decode: (String) -> Position?, tokenProblem: String) throws {
        let query = request.uri.queryParameters
        var limit = defaultLimit
        if let text = query.get("limit") {
            guard let value = Int(text), (1...maxLimit).contains(value) else {
                throw APIError.invalidArgument("limit must be an integer from 1 to \(maxLimit)")
            }
            limit = value
        }
        self.limit = limit
        if let token = query.get("next") {
            guard let position = decode(token) else { throw APIError.invalidArgument(tokenProblem) }
            after = position
        } else {
            after = nil
        }
    }
}
