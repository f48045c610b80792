import Foundation
import Fragments
import Hummingbird
import NIOCore
import RouteSupport
import VideoIngest

/// `GET /metrics` (Prometheus text format) and `GET /ready` (can this server take and serve
/// video now: the store is writable, the index answers, the archive is within the disk quota, it
/// is not shutting down). `/health` says
/// only that it is alive.
struct OperationsRoutes: Sendable {
    let metrics: ServerMetrics
    let scraped: ScrapedMetrics
    let store: FragmentStore
    let dataDirectory: String
    let ingest: IngestService
    let quota: QuotaStanding

    @Sendable func prometheus(_ request: Request, context: some RequestContext) async throws -> Response {
        let (scraped, metrics) = (self.scraped, self.metrics)
        let text = try await blocking {
            scraped.collect()
            return metrics.exposition()
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    @Sendable func ready(_ request: Request, context: some RequestContext) async throws -> Response {
        let (store, directory) = (self.store, self.dataDirectory)
        var problems = try await blocking { Self.problems(store: store, directory: directory) }
        // A load balancer sends new cameras elsewhere while pushes drain.
        if ingest.isDraining { problems.append("the server is shutting down") }
        let shortfall = quota.shortfall
        if shortfall > 0 {
            problems.append("the archive is \(shortfall) bytes over the disk quota and nothing more may be dropped (every file left is being written)")
        }
        var body = #"{"ready":\#(problems.isEmpty)"#
        if !problems.isEmpty {
            body += #","problems":["# + problems.map { "\"" + $0.replacingOccurrences(of: "\"", with: "'") + "\"" }
                .joined(separator: ",") + "]"
        }
        return Response(status: problems.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body + "}\n")))
    }

    /// What stops this server from storing and serving video now; empty when nothing does.
    static func problems(store: FragmentStore, directory: String) -> [String] {
        var problems: [String] = []
        let probe = directory + "/.ready-probe"
        if FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) {
            try? FileManager.default.removeItem(atPath: probe)
        } else {
            problems.append("the data directory \(directory) is not writable")
        }
        do {
            _ = try store.stream(id: 0)
        } catch {
            problems.append("the index does not answer: \(error)")
        }
        return problems
    }
}
