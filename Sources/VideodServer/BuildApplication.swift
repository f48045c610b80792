import DataStreams
import Foundation
import FrameAnalysis
import Fragments
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import KDSAPI
import KinesisVideo
import KVSAPI
import Logging
import NativeAPI
import Playback
import Primitives
import RouteSupport
import ServiceLifecycle
import VideoIngest

/// Opens the store and the data streams, wires ingest → analysis → events, binds the RTSP and raw
/// TCP listeners (announcing them) and returns the HTTP application with those listeners and the
/// camera pulls as services of its group. Each route family is a router group with its own
/// authentication: native routes and SSE check headers (Basic or SigV4 with a payload-hash
/// header), the Kinesis JSON/CBOR endpoint verifies SigV4 over the body it reads, `/health` is open.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    try await assembleServer(configuration).application
}

/// The application and what signals do to it (`runServer`): SIGTERM's drain, SIGHUP's reload.
func assembleServer(_ configuration: ServerConfiguration) async throws
    -> (application: some ApplicationProtocol, shutdown: ShutdownSequence, certificate: ServerCertificate?) {
    try configuration.validate()
    let logger = configuration.logger
    let certificate = try configuration.tlsCertificatePath.map {
        try ServerCertificate(certificatePath: $0, keyPath: configuration.tlsKeyPath ?? "", logger: logger)
    }
    let scheme = certificate == nil ? "http" : "https"
    let directory = URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL.path
    let store = try FragmentStore(directory: directory, logger: logger,
                                  retention: RetentionPolicy(liveBuffer: configuration.liveBufferSeconds * 1_000_000))
    let dataStreams = try DataStreamService(log: SQLiteRecordLog(path: directory + "/datastreams.sqlite"),
                                            identity: configuration.identity)
    let http = configuration.http
    let publisher = AnalysisEventPublisher(dataStreams: dataStreams, store: store,
                                           baseURL: configuration.publicURL ?? "\(scheme)://\(http.host):\(http.port)")
    let defaults = configuration.analysisDefaults
    // Consumers can start reading (LATEST) before the first event.
    if defaults.enabled { try publisher.prepare(dataStream: defaults.dataStream) }
    let metrics = ServerMetrics()
    let quotaStanding = QuotaStanding()
    let analysis = AnalysisService(store: store, eventLog: publisher, defaults: defaults, logger: logger,
                                   maxAnalysers: configuration.maxAnalysedStreams)
    let ingest = IngestService(
        store: store,
        configuration: IngestConfiguration(fragmenter: configuration.fragmenter,
                                           autoCreateStreams: configuration.autoCreateStreams,
                                           maxFragmentBytes: configuration.maxFragmentBytes,
                                           maxSessions: configuration.maxIngestSessions,
                                           moofsPerDemuxer: configuration.moofsPerDemuxer),
        logger: logger, observers: [analysis, IngestMetrics(metrics: metrics)])
    let keys = configuration.accessKeys
    let authenticator = keys.isEmpty ? nil : RequestAuthenticator(keys: keys)
    let pulls = PullService(ingest: ingest, logger: logger)
    try applyDeclaredStreams(configuration.declaredStreams, store: store, analysis: analysis, pulls: pulls, logger: logger)

    let router = Router()
    // Outermost: every request is counted, preflights and refusals included.
    router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
    // Before every group, so a preflight is answered without credentials.
    if let origin = configuration.corsOrigin { router.add(middleware: crossOriginMiddleware(origin: origin)) }
    router.get("/health") { _, _ in "ok\n" }
    let caches = PlaybackCaches(imageBytes: configuration.imageCacheBytes, clipLayoutBytes: 32 << 20)
    let operations = OperationsRoutes(metrics: metrics, scraped: ScrapedMetrics(metrics: metrics, analysis: analysis, dataStreams: dataStreams, ingest: ingest, caches: caches,
                                                                                dataDirectory: directory),
                                      store: store, dataDirectory: directory, ingest: ingest, quota: quotaStanding)
    router.get("/ready", use: operations.ready)
    let native = router.group()
    let events = router.group()
    if let authenticator {
        native.add(middleware: HeaderAuthMiddleware(authenticator: authenticator))
        events.add(middleware: HeaderAuthMiddleware(authenticator: authenticator))
    }
    // Behind the native API's authentication: metrics name the streams.
    native.get("/metrics", use: operations.prometheus)
    NativeRoutes(store: store, ingest: ingest, analysis: analysis, pulls: pulls, caches: caches).register(on: native)
    DataStreamEventsRoutes(service: dataStreams).register(on: events)
    KinesisRoutes(service: dataStreams, authenticator: authenticator).register(on: router.group())
    let videoStreams = VideoStreamService(store: store, ingest: ingest, pulls: pulls, identity: configuration.identity,
                                          dataEndpoint: { publisher.baseURL }, sessionKey: try SessionKey.load(directory: directory), caches: caches)
    KinesisVideoRoutes(service: videoStreams, authenticator: authenticator).register(on: router.group())
    PutMediaRoute(service: videoStreams, ingest: ingest, authenticator: authenticator).register(on: router.group())
    MediaRoutes(service: videoStreams, ingest: ingest, authenticator: authenticator).register(on: router.group())
    HLSRoutes(service: videoStreams).register(on: router.group())
    DASHRoutes(service: videoStreams).register(on: router.group())

    var services: [any Service] = [PullServiceRunner(pulls: pulls),
                                   RetentionService(store: store, interval: configuration.retentionSweepSeconds,
                                                    quota: configuration.diskQuota, dataDirectory: directory, logger: logger,
                                                    standing: quotaStanding,
                                                    dropped: { cause, bytes in
                                                        metrics.counter("videod_dropped_bytes_total", [("cause", cause)]).increment(by: bytes)
                                                    })]
    for tcp in configuration.tcpIngest {
        let server = TCPIngestServer(ingest: ingest, streamName: tcp.streamName, logger: logger)
        let listener = try await TCPListener.bind(host: tcp.address.host, port: tcp.address.port,
                                                  maxConnections: configuration.maxConnections,
                                                  idleTimeout: .seconds(configuration.idleTimeout))
        configuration.announce("videod tcp-ingest \(tcp.streamName) on tcp://\(tcp.address.host):\(listener.port ?? tcp.address.port)")
        services.append(ListenerService { try await server.serve(listener) })
    }
    let rtspServer = RTSPServer(ingest: ingest, logger: logger, authenticator: keys.isEmpty ? nil : RTSPAuthenticator(keys: keys, allowsBasic: configuration.rtspBasicAuth),
                                sessionTimeout: configuration.rtspSessionTimeout)
    let rtsp = configuration.rtsp
    let rtspListener = try await TCPListener.bind(host: rtsp.host, port: rtsp.port, maxConnections: configuration.maxConnections,
                                                  idleTimeout: .seconds(configuration.rtspSessionTimeout),
                                                  prepare: try certificate?.channelPreparation())
    let rtspPort = rtspListener.port ?? rtsp.port
    // Announced before the HTTP line, which scripts wait for.
    configuration.announce("videod rtsp on \(certificate == nil ? "rtsp" : "rtsps")://\(rtsp.host):\(rtspPort)")
    logger.info("RTSP ingest listening", metadata: ["address": "\(rtsp.host):\(rtspPort)"])
    services.append(ListenerService { try await rtspServer.serve(rtspListener) })

    logger.info("data directory", metadata: ["path": "\(directory)"])
    if keys.isEmpty {
        logger.notice("authentication is off (no access keys configured); listening on loopback only")
    } else {
        logger.info("SigV4 authentication on", metadata: ["keys": "\(keys.secrets.count)"])
    }
    let publicURL = configuration.publicURL
    let announce = configuration.announce
    let connections = ConnectionLimit(maximum: configuration.maxConnections)
    let shutdown = ShutdownSequence(ingest: ingest, analysis: analysis,
                                    maxFragmentSeconds: Double(configuration.fragmenter.maxDuration) / 1_000_000,
                                    timeout: Double(configuration.shutdownTimeout), logger: logger)
    let application = Application(
        router: router,
        server: try httpServer(certificate: certificate, connections: connections, idleTimeout: configuration.idleTimeout),
        configuration: .init(address: .hostname(http.host, port: http.port), serverName: "videod"),
        services: services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? http.port
            if publicURL == nil { publisher.baseURL = "\(scheme)://\(http.host):\(port)" }
            announce("videod listening on \(scheme)://\(http.host):\(port)")
            logger.info("HTTP API listening", metadata: ["address": "\(http.host):\(port)"])
        },
        logger: logger)
    return (application, shutdown, certificate)
}

/// HTTP/1.1, over TLS when a certificate is configured.
private func httpServer(certificate: ServerCertificate?, connections: ConnectionLimit, idleTimeout: Int64) throws -> HTTPServerBuilder {
    // A push whose body stops arriving is closed after the idle timeout (its stream is freed);
    // responses being streamed (SSE) are not affected.
    let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [HTTPConnectionCap(count: connections)],
                                                             idleTimeout: .seconds(idleTimeout)))
    guard let certificate else { return http1 }
    return try .tls(http1, tlsConfiguration: certificate.serverConfiguration())
}
