import FrameAnalysis
import Fragments
import Hummingbird
import Playback
import RouteSupport
import VideoIngest

/// The native REST API over streams, fragments, media and analysis (`/streams/…`).
public struct NativeRoutes: Sendable {
    let store: FragmentStore
    let ingest: IngestService
    let analysis: AnalysisService
    let pulls: PullService
    let caches: PlaybackCaches

    public init(store: FragmentStore, ingest: IngestService, analysis: AnalysisService, pulls: PullService, caches: PlaybackCaches) {
        self.store = store
        self.caches = caches
        self.ingest = ingest
        self.pulls = pulls
        self.analysis = analysis
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        let streams = StreamRoutes(store: store, ingest: ingest, analysis: analysis, pulls: pulls)
        router.get("/streams", use: streams.list)
        router.get("/streams/:name", use: streams.describe)
        router.put("/streams/:name", use: streams.create)
        router.post("/streams/:name", use: streams.create)
        router.delete("/streams/:name", use: streams.delete)
        let pushes = IngestRoutes(ingest: ingest)
        router.post("/streams/:name/ingest", use: pushes.push)
        router.put("/streams/:name/ingest", use: pushes.push)
        let fragments = FragmentRoutes(store: store)
        router.get("/streams/:name/fragments", use: fragments.list)
        router.get("/streams/:name/fragments/:number", use: fragments.media)
        let media = MediaRoutes(store: store)
        router.get("/streams/:name/media", use: media.range)
        router.get("/streams/:name/clip.mp4", use: ClipRoutes(store: store, layouts: caches.clipLayouts).clip)
        let images = ImageRoutes(store: store, cache: caches.images)
        router.get("/streams/:name/image.jpg", use: images.jpeg)
        router.get("/streams/:name/image.png", use: images.png)
        let retention = RetentionRoutes(store: store)
        router.get("/streams/:name/retention", use: retention.describe)
        router.put("/streams/:name/retention", use: retention.update)
        let analysisRoutes = AnalysisRoutes(store: store, analysis: analysis)
        router.get("/streams/:name/analysis", use: analysisRoutes.describe)
        router.put("/streams/:name/analysis", use: analysisRoutes.update)
        router.get("/streams/:name/events", use: analysisRoutes.events)
    }

    /// The stream name in the path, checked, or the API's error.
    static func streamName(_ context: some RequestContext) throws -> String {
        let name = try context.parameters.require("name")
        guard StreamName.isValid(name) else {
            throw APIError(.badRequest, "InvalidStreamName", StreamName.rule)
        }
        return name
    }

    /// Looks up a stream named in the path, or fails with the API's error.
    static func stream(_ store: FragmentStore, _ context: some RequestContext) async throws -> StreamRecord {
        let name = try streamName(context)
        guard let stream = try await blocking({ try store.stream(named: name) }) else {
            throw APIError.notFound("stream \(name) does not exist")
        }
        return stream
    }
}
