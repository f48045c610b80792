import Hummingbird
import Metrics
import Synchronization

/// Counts every request by route family, method and status, and times it to its response head
/// (a streamed body, as GetMedia's or SSE's, goes on after that).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let handles: HTTPMetricHandles

    init(metrics: ServerMetrics) {
        handles = HTTPMetricHandles(metrics: metrics)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let family = RouteFamily.of(path: request.uri.path, method: request.method)
        let method = RouteFamily.method(request.method)
        do {
            let response = try await next(request, context)
            handles.record(family, method, status: response.status.code, since: started)
            return response
        } catch let error as any HTTPResponseError {
            handles.record(family, method, status: error.status.code, since: started)
            throw error
        } catch {
            handles.record(family, method, status: 500, since: started)
            throw error
        }
    }
}

/// The request counters and timers, made once per label set: a request then costs a dictionary
/// lookup, not a trip through the registry.
final class HTTPMetricHandles: Sendable {
    private let metrics: ServerMetrics
    private let counters = Mutex<[String: Metrics.Counter]>([:])
    private let timers = Mutex<[String: Metrics.Timer]>([:])

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    func record(_ family: String, _ method: String, status: Int, since started: ContinuousClock.Instant) {
        let key = family + " " + method + " " + String(status)
        let counter = counters.withLock { known in
            if let counter = known[key] { return counter }
            let counter = metrics.counter("videod_http_requests_total", [("family", family), ("method", method), ("status", String(status))])
            known[key] = counter
            return counter
        }
        counter.increment()
        let timer = timers.withLock { known in
            if let timer = known[family] { return timer }
            let timer = metrics.timer("videod_http_request_duration_seconds", [("family", family)])
            known[family] = timer
            return timer
        }
        let elapsed = ContinuousClock.now - started
        timer.recordNanoseconds(elapsed.components.seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
                                &+ elapsed.components.attoseconds / 1_000_000_000)
    }
}
