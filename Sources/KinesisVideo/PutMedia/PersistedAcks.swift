import Foundation
import Fragments
import Media
import VideoIngest

/// Follows one PutMedia session's stored fragments and acknowledges each producer fragment
/// (cluster) as PERSISTED once the stored fragment holding its frames is durable. A stored
/// fragment closes when the next one's first frame arrives, before that frame is shown to taps,
/// so at `fragmentStored` every cluster at or before the last frame seen is in it (or before it).
final class PersistedAcks: IngestObserver, IngestTap, @unchecked Sendable {
    private let lock = NSLock()
    /// Clusters received but not yet stored: body offset and timecode, ascending.
    private var pending: [(offset: UInt64, timecode: UInt64)] = []
    private var lastPosition: UInt64?
    private let send: @Sendable (PutMediaAck) -> Void
    /// KVS sends no PERSISTED for a stream that keeps nothing (retention 0).
    private let acknowledges: Bool
    /// A stored fragment this long was cut at the cap (`--max-fragment-duration`): the producer's
    /// fragment was longer than allowed.
    private let maxDuration: Int64

    init(acknowledges: Bool, maxDuration: Int64, send: @escaping @Sendable (PutMediaAck) -> Void) {
        self.acknowledges = acknowledges
        self.maxDuration = maxDuration
        self.send = send
    }

    /// A cluster began at `offset` in the body (called before its bytes reach the demuxer).
    func clusterStarted(offset: UInt64, timecode: UInt64) {
        lock.withLock { pending.append((offset, timecode)) }
    }

    func sessionStarted(streamName: String, video: CodecParameters) -> (any IngestTap)? { self }

    func video(_ packet: Packet, serverTime: Int64) {
        guard let position = packet.position.flatMap(UInt64.init(exactly:)) else { return }
        lock.withLock { lastPosition = max(lastPosition ?? 0, position) }
    }

    func fragmentStored(_ fragment: FragmentRecord) {
        let stored: [UInt64] = lock.withLock {
            guard let lastPosition else { return [] }
            let count = pending.prefix { $0.offset <= lastPosition }.count
            defer { pending.removeFirst(count) }
            return pending.prefix(count).map(\.timecode)
        }
        let number = String(fragment.number)
        if fragment.duration >= maxDuration {
            // Only its first `maxDuration` was kept (the rest, to the next key frame, was dropped).
            for timecode in stored {
                send(PutMediaAck(.error, timecode: timecode, fragmentNumber: number, errorID: PutMediaErrorID.fragmentTooLong))
            }
            return
        }
        guard acknowledges else { return }
        for timecode in stored {
            send(PutMediaAck(.persisted, timecode: timecode, fragmentNumber: number))
        }
    }

    func sessionEnded() {}
}
