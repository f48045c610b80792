import AWSProtocol
import Fragments
import VideoIngest

extension VideoStreamService {
    /// Starts a PutMedia session into an existing stream (KVS does not create streams on push).
    /// Errors are AWS errors, for before the response begins.
    public func beginPutMedia(_ request: PutMediaRequest, ingest: IngestService, remoteAddress: String?) throws -> PutMediaSession {
        let stream: StreamRecord
        do {
            if let name = request.streamName {
                stream = try self.stream(named: name)
            } else {
                stream = try self.stream(arn: request.streamARN ?? "")
            }
        } catch let error as StoreError {
            throw AWSError.internalFailure("\(error)")
        }
        let (acks, continuation) = AsyncStream<PutMediaAck>.makeStream(bufferingPolicy: .unbounded)
        let persisted = PersistedAcks(acknowledges: stream.attributes.retentionHours != 0,
                                      maxDuration: ingest.configuration.fragmenter.maxDuration) { continuation.yield($0) }
        let boundaries = ProducerFragmentBoundaries()
        var ingestRequest = IngestRequest(streamName: stream.name, contentType: "video/x-matroska", source: "putmedia",
                                          remoteAddress: remoteAddress)
        ingestRequest.producerZero = request.producerZero(arrival: clock())
        ingestRequest.producerFragments = boundaries
        ingestRequest.observers = [persisted]
        let session: IngestSession
        do {
            session = try ingest.begin(ingestRequest)
        } catch let error as IngestError {
            switch error {
            case .streamBusy(let message): throw AWSError("ConnectionLimitExceededException", message)
            // Retryable for producer SDKs: they reconnect, to the restarted server when shutting down.
            case .overloaded(let message), .shuttingDown(let message): throw AWSError("ClientLimitExceededException", message)
            case .streamNotFound(let message): throw VideoStreamError.notFound(message)
            default: throw VideoStreamError.invalidArgument("\(error)")
            }
        }
        return PutMediaSession(ingest: session, persisted: persisted, boundaries: boundaries, acks: acks, continuation: continuation)
    }
}
