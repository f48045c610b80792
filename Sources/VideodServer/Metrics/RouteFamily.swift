import HTTPTypes

/// Which API a request belongs to, for request metrics: a small fixed set, so that labels stay
/// few whatever paths clients send.
enum RouteFamily {
    static func of(path: String, method: HTTPRequest.Method) -> String {
        if path.hasPrefix("/streams/") || path == "/streams" {
            return path.hasSuffix("/ingest") ? "ingest" : "native"
        }
        if path.hasPrefix("/hls/") { return "hls" }
        if path.hasPrefix("/dash/") { return "dash" }
        if path.hasPrefix("/datastreams/") { return "datastream-events" }
        switch path {
        case "/health", "/ready", "/metrics": return "operations"
        case "/putMedia": return "putmedia"
        case "/getMedia", "/getMediaForFragmentList": return "kinesisvideo-media"
        case "/": return method == .post ? "kinesis" : "other"
        default: return method == .post ? "kinesisvideo" : "other"
        }
    }

    /// Methods outside the usual ones are counted together.
    static func method(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .options: return method.rawValue
        default: return "other"
        }
    }
}
