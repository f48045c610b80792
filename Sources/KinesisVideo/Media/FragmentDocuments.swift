import Fragments
import NIOCore
import Playback

/// Turns a stream's stored fragments into GetMedia's Matroska documents, reading each init
/// segment once. One instance serves one response; not shared across tasks.
final class FragmentDocuments {
    private let store: FragmentStore
    private var tracks: [Int64: [MP4Track]] = [:]

    /// A response gathers documents into one buffer up to about this size before writing it:
    /// one thread-pool hop and one socket write per batch, not per fragment, with memory bounded.
    static let batchBytes = 4 << 20

    /// A buffer for one batch, allocated whole: grown by doubling as documents are appended,
    /// it would copy what it holds several times over.
    static func batchBuffer() -> ByteBuffer {
        ByteBufferAllocator().buffer(capacity: batchBytes + (1 << 20))
    }

    init(store: FragmentStore) {
        self.store = store
    }

    /// Appends the fragment as a document with KVS's tags (`after` tags follow its cluster);
    /// on failure nothing is appended.
    func append(_ fragment: FragmentRecord, after: [MatroskaDocument.Tag], to buffer: inout ByteBuffer) throws {
        let initTracks: [MP4Track]
        if let known = tracks[fragment.initID] {
            initTracks = known
        } else {
            initTracks = MP4Track.tracks(initSegment: try store.initSegment(id: fragment.initID))
            tracks[fragment.initID] = initTracks
        }
        let before: [MatroskaDocument.Tag] = [
            ("AWS_KINESISVIDEO_FRAGMENT_NUMBER", String(fragment.number)),
            ("AWS_KINESISVIDEO_SERVER_TIMESTAMP", MatroskaDocument.seconds(fragment.serverStart)),
            ("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP", MatroskaDocument.seconds(fragment.producerStart)),
        ]
        try MatroskaDocument.append(to: &buffer, tracks: initTracks, fragment: try store.bytes(of: fragment),
                                    producerStart: fragment.producerStart, tagsBefore: before, tagsAfter: after)
    }
}
