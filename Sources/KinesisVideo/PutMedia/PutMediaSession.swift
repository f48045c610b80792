import AWSProtocol
import Foundation
import Fragments
import VideoIngest

/// One PutMedia request: the body goes to an ordinary ingest session (same demuxing, fragments,
/// analysis and events as any push), while a cluster scanner follows the same bytes to
/// acknowledge each producer fragment — BUFFERING when it begins, RECEIVED when it is complete,
/// PERSISTED once stored durably (`PersistedAcks`), ERROR with KVS's id when the input is bad.
/// Stored fragments follow the producer's clusters (`ProducerFragmentBoundaries`).
///
/// `feed` and `endOfBody` are called by one task, in order; `run` by another; `acks` is read by a
/// third (the response).
public final class PutMediaSession: @unchecked Sendable {
    public let acks: AsyncStream<PutMediaAck>
    private let continuation: AsyncStream<PutMediaAck>.Continuation
    private let ingest: IngestSession
    private let persisted: PersistedAcks
    private let boundaries: ProducerFragmentBoundaries
    // Owned by the feeding task.
    private var scanner = MatroskaClusterScanner()
    private var lastTimecode: UInt64?
    private var stopped = false
    // Shared with `run` and the idle ticker.
    private let lock = NSLock()
    private var lastAck = Date()
    private var currentTimecode: UInt64?
    /// An ERROR ack went out: the session's one error (ingest then fails too, for want of input).
    private var errorSent = false

    init(ingest: IngestSession, persisted: PersistedAcks, boundaries: ProducerFragmentBoundaries,
         acks: AsyncStream<PutMediaAck>, continuation: AsyncStream<PutMediaAck>.Continuation) {
        self.ingest = ingest
        self.persisted = persisted
        self.boundaries = boundaries
        self.acks = acks
        self.continuation = continuation
    }

    /// Takes the next piece of the body. Returns false once the session takes no more input (an
    /// ERROR ack was sent, or ingest stopped); the caller then stops reading and calls `endOfBody`.
    public func feed(_ bytes: [UInt8]) async -> Bool {
        guard !stopped else { return false }
        let events: [MatroskaClusterScanner.Event]
        do {
            events = try scanner.consume(bytes)
        } catch {
            return fail(error)
        }
        // Acks and boundaries go out before the bytes reach the demuxer, so that a cluster's
        // PERSISTED can never overtake its BUFFERING or RECEIVED.
        for event in events {
            switch event {
            case .clusterStarted(let timecode, let offset):
                if let last = lastTimecode, timecode <= last {
                    send(PutMediaAck(.error, timecode: timecode, errorID: PutMediaErrorID.timecodeNotIncreasing))
                    stopped = true
                    return false
                }
                lastTimecode = timecode
                lock.withLock { currentTimecode = timecode }
                boundaries.add(offset: offset)
                persisted.clusterStarted(offset: offset, timecode: timecode)
                send(PutMediaAck(.buffering, timecode: timecode))
            case .clusterEnded(let timecode, _):
                send(PutMediaAck(.received, timecode: timecode))
            }
        }
        guard await ingest.input.write(bytes) else {
            stopped = true
            return false
        }
        return true
    }

    /// The body ended (or the reader stopped): the last cluster is complete, and ingest stores it.
    public func endOfBody() {
        if !stopped, let events = try? scanner.finish() {
            for case .clusterEnded(let timecode, _) in events { send(PutMediaAck(.received, timecode: timecode)) }
        }
        stopped = true
        ingest.input.finish()
    }

    /// Runs ingest to its end; a failure becomes an ERROR ack. Ends `acks`.
    public func run() async {
        let outcome = await ingest.run()
        if let error = outcome.error {
            send(PutMediaAck(.error, timecode: lock.withLock { currentTimecode }, errorID: Self.errorID(error)))
        }
        continuation.finish()
    }

    /// Sends IDLE if no ack went out for `seconds` (KVS keeps a quiet connection's producer informed).
    public func idleIfQuiet(seconds: TimeInterval) {
        let quiet = lock.withLock { -lastAck.timeIntervalSinceNow >= seconds }
        if quiet { send(PutMediaAck(.idle)) }
    }

    /// Sends an ack; a session ends with at most one ERROR, whichever side (the scanner reading
    /// the body, or ingest demuxing it) finds the fault first.
    private func send(_ ack: PutMediaAck) {
        let duplicate = lock.withLock {
            if ack.type == .error {
                if errorSent { return true }
                errorSent = true
            }
            lastAck = Date()
            return false
        }
        if !duplicate { continuation.yield(ack) }
    }

    private func fail(_ error: any Error) -> Bool {
        let id = switch error as? MatroskaClusterScanner.Failure {
        case .clusterTooLarge: PutMediaErrorID.fragmentTooLarge
        default: PutMediaErrorID.invalidMKV
        }
        send(PutMediaAck(.error, timecode: lock.withLock { currentTimecode }, errorID: id))
        stopped = true
        return false
    }

    static func errorID(_ error: IngestError) -> Int {
        switch error {
        case .unsupportedContainer, .unsupportedCodec, .malformedMedia: PutMediaErrorID.invalidMKV
        case .storage: PutMediaErrorID.archivingFailed
        default: PutMediaErrorID.internalError
        }
    }
}
