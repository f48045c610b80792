import Fragments
import NIOCore
import Playback
import Primitives

/// One GetMedia response: delivers a stream's fragments in arrival order from its start point,
/// then follows new ones. Each `next` call reads a bounded batch; the caller writes them out
/// (with the socket's backpressure) before asking again.
public final class MediaSession: @unchecked Sendable {
    public let streamName: String
    let streamID: Int64
    private let store: FragmentStore
    private let documents: FragmentDocuments
    private let clock: MicrosecondClock
    /// The last fragment delivered (or the number before the start).
    public private(set) var position: FragmentNumber

    init(stream: StreamRecord, after: FragmentNumber, store: FragmentStore, clock: @escaping MicrosecondClock) {
        streamName = stream.name
        streamID = stream.id
        position = after
        self.store = store
        self.clock = clock
        documents = FragmentDocuments(store: store)
    }

    /// The next fragments as Matroska documents, about `FragmentDocuments.batchBytes` of them
    /// (empty when caught up); advances the position. A fragment that cannot be read is
    /// skipped, so that one damaged file cannot stall a reader.
    public func next(limit: Int = 16) throws -> ByteBuffer {
        let fragments = try store.fragments(streamID: streamID, afterNumber: position, limit: limit)
        var buffer = fragments.isEmpty ? ByteBuffer() : FragmentDocuments.batchBuffer()
        for fragment in fragments where buffer.readableBytes < FragmentDocuments.batchBytes {
            position = fragment.number
            let behind = max(0, (clock() - fragment.serverStart) / 1000)
            try? documents.append(fragment, after: [
                ("AWS_KINESISVIDEO_MILLIS_BEHIND_NOW", String(behind)),
                ("AWS_KINESISVIDEO_CONTINUATION_TOKEN", String(fragment.number)),
            ], to: &buffer)
        }
        return buffer
    }
}
