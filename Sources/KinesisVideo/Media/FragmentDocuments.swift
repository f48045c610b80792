import Fragments
import Playback

/// Turns a stream's stored fragments into GetMedia's Matroska documents, reading each init
/// segment once. One instance serves one response; not shared across tasks.
final class FragmentDocuments {
    private let store: FragmentStore
    private var tracks: [Int64: [MP4Track]] = [:]

    init(store: FragmentStore) {
        self.store = store
    }

    /// The fragment as a document with KVS's tags; `after` tags follow its cluster.
    func document(_ fragment: FragmentRecord, after: [MatroskaDocument.Tag]) throws -> [UInt8] {
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
        return try MatroskaDocument.make(tracks: initTracks, fragment: try store.bytes(of: fragment),
                                         producerStart: fragment.producerStart, tagsBefore: before, tagsAfter: after)
    }
}
