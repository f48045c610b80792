import Metrics
import Prometheus
import Synchronization

/// The server's Prometheus registry and the swift-metrics factory that writes into it. Not
/// bootstrapped as the process-wide metrics system: tests run several servers in one process,
/// and each must count its own.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Last totals seen for values that other parts keep as running totals (analysis status,
    /// cache counts), turned into counter increments at each scrape.
    private let totals = Mutex<[String: Int64]>([:])
    /// Per-stream gauges set at the last scrape, by gauge name.
    private let gaugeStreams = Mutex<[String: Set<String>]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests and stores take from a millisecond to seconds (a clip, a GetMedia head).
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                   .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
        self.factory = factory
    }

    func counter(_ name: String, _ dimensions: [(String, String)] = []) -> Metrics.Counter {
        Metrics.Counter(label: name, dimensions: dimensions, factory: factory)
    }

    func gauge(_ name: String, _ dimensions: [(String, String)] = []) -> Metrics.Meter {
        Metrics.Meter(label: name, dimensions: dimensions, factory: factory)
    }

    func timer(_ name: String, _ dimensions: [(String, String)] = []) -> Metrics.Timer {
        Metrics.Timer(label: name, dimensions: dimensions, factory: factory)
    }

    /// Adds to counter `name` what `total` grew by since the last call with the same name and
    /// dimensions. A total that went down (its source restarted, as an analysis session does)
    /// counts from zero again, as Prometheus counters do after a reset.
    func advance(_ name: String, _ dimensions: [(String, String)], toTotal total: Int64) {
        let key = name + "\u{0}" + dimensions.map { $0.0 + "=" + $0.1 }.joined(separator: "\u{0}")
        let delta = totals.withLock { seen -> Int64 in
            let last = seen[key] ?? 0
            seen[key] = total
            return total >= last ? total - last : total
        }
        // Registered even at zero, so a scrape shows every stream's series from the start.
        let counter = counter(name, dimensions)
        if delta > 0 { counter.increment(by: delta) }
    }

    /// Sets gauge `name` for each stream given, and to 0 for streams given last time but not now
    /// (a stream that stopped receiving has no bitrate, not its last one).
    func setPerStream(_ name: String, _ values: [String: Double]) {
        let gone = gaugeStreams.withLock { seen -> Set<String> in
            let gone = seen[name, default: []].subtracting(values.keys)
            seen[name] = Set(values.keys)
            return gone
        }
        for (stream, value) in values { gauge(name, [("stream", stream)]).set(value) }
        for stream in gone { gauge(name, [("stream", stream)]).set(0) }
    }

    /// The exposition text (Prometheus text format 0.0.4).
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
