import Hummingbird

/// Counts every request by route family, method and status, and times it to its response head
/// (a streamed body, as GetMedia's or SSE's, goes on after that).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let family = RouteFamily.of(path: request.uri.path, method: request.method)
        do {
            let response = try await next(request, context)
            record(family, request, status: response.status.code, since: started)
            return response
        } catch let error as any HTTPResponseError {
            record(family, request, status: error.status.code, since: started)
            throw error
        } catch {
            record(family, request, status: 500, since: started)
            throw error
        }
    }

    private func record(_ family: String, _ request: Request, status: Int, since started: ContinuousClock.Instant) {
        metrics.counter("videod_http_requests_total", [("family", family), ("method", RouteFamily.method(request.method)),
                                                        ("status", String(status))]).increment()
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
            &+ elapsed.components.attoseconds / 1_000_000_000
        metrics.timer("videod_http_request_duration_seconds", [("family", family)]).recordNanoseconds(nanoseconds)
    }
}
