import Fragments
import Media

/// Images of a stream at chosen instants: each from the stored fragment that covers it, decoded
/// from that fragment's key frame forward (one decode per fragment for all its instants).
public struct ArchiveImages {
    public struct Request: Sendable {
        public var streamID: Int64
        public var kind: TimestampKind
        public var width: Int?
        public var height: Int?
        public var format: ImageEncoder.Format

        public init(streamID: Int64, kind: TimestampKind, width: Int?, height: Int?, format: ImageEncoder.Format) {
            self.streamID = streamID
            self.kind = kind
            self.width = width
            self.height = height
            self.format = format
        }
    }

    /// What an instant got: an image, no fragment covering it, or media that would not decode.
    public enum Outcome: Equatable, Sendable {
        case image([UInt8])
        case noMedia
        case mediaError
    }

    let store: FragmentStore
    let cache: ImageCache?

    public init(store: FragmentStore, cache: ImageCache? = nil) {
        self.store = store
        self.cache = cache
    }

    /// - Parameter instants: ascending times (µs) on the request's clock.
    public func images(_ request: Request, at instants: [Int64]) throws -> [Outcome] {
        try imagesCountingDecodes(request, at: instants).outcomes
    }

    /// The images, and how many fragments had to be decoded for them (0: all from the cache).
    public func imagesCountingDecodes(_ request: Request, at instants: [Int64]) throws -> (outcomes: [Outcome], decodes: Int) {
        var outcomes: [Outcome] = []
        var decodes = 0
        var encoders: [String: ImageEncoder] = [:]
        // A range's fragments mostly share one init segment: read each once per call.
        var initSegments: [Int64: [UInt8]] = [:]
        var index = 0
        while index < instants.count {
            let instant = instants[index]
            guard let fragment = try store.fragments(streamID: request.streamID, kind: request.kind, from: instant,
                                                     to: instant &+ 1, limit: 1).first else {
                outcomes.append(.noMedia)
                index += 1
                continue
            }
            // Every following instant this fragment also covers.
            let end = fragment.start(request.kind).addingReportingOverflow(fragment.duration).partialValue
            var group = [instant]
            while index + group.count < instants.count, instants[index + group.count] < end { group.append(instants[index + group.count]) }
            index += group.count
            // On the producer clock, where the stored pictures' times are.
            let shift = request.kind == .server ? fragment.producerStart &- fragment.serverStart : 0
            let keys = group.map { ImageCacheKey(streamID: request.streamID, fragment: fragment.number,
                                                  fragmentArrival: fragment.serverStart, instant: $0 &+ shift,
                                                  width: request.width, height: request.height, format: request.format) }
            var found = keys.map { cache?.value($0) }
            // Only the instants not cached are decoded: one pass from the key frame for all of them.
            let missing = found.indices.filter { found[$0] == nil }
            if !missing.isEmpty {
                decodes += 1
                let initSegment = try initSegments[fragment.initID] ?? store.initSegment(id: fragment.initID)
                initSegments[fragment.initID] = initSegment
                let decoded = try? FragmentPictures.images(
                    initSegment: initSegment, fragment: try store.bytes(of: fragment),
                    instants: missing.map { keys[$0].instant }) { frame in
                        let size = ImageEncoder.size(source: (frame.width, frame.height), width: request.width, height: request.height)
                        let key = "\(size.width)x\(size.height)"
                        let encoder = try encoders[key] ?? ImageEncoder(width: size.width, height: size.height, format: request.format)
                        encoders[key] = encoder
                        return try encoder.encode(frame)
                    }
                for (position, slot) in missing.enumerated() {
                    guard let image = decoded?[position] else { continue }
                    found[slot] = image
                    cache?.insert(image, for: keys[slot])
                }
            }
            outcomes += found.map { $0.map(Outcome.image) ?? .mediaError }
        }
        return (outcomes, decodes)
    }
}
