import Logging
import NIOCore

/// `--tcp-ingest cam3=9001`: for devices that can only open a socket and write a container
/// (fMP4, MPEG-TS or Matroska, sniffed). Each connection is one push into the named stream.
public struct TCPIngestServer: Sendable {
    let ingest: IngestService
    let streamName: String
    let logger: Logger

    public init(ingest: IngestService, streamName: String, logger: Logger) {
        self.ingest = ingest
        self.streamName = streamName
        self.logger = logger
    }

    /// Accepts connections until the task is cancelled.
    public func serve(_ listener: TCPListener) async throws {
        try await listener.serve(logger: logger) { connection in await self.handle(connection) }
    }

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let remote = connection.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let session: IngestSession
        do {
            session = try ingest.begin(IngestRequest(streamName: streamName, source: "tcp", remoteAddress: remote))
        } catch {
            // No protocol to answer in: log why and close.
            logger.warning("TCP ingest refused", metadata: ["stream": "\(streamName)", "remote": "\(remote)", "error": "\(error)"])
            try? await connection.executeThenClose { _, _ in }
            return
        }
        async let outcome = session.run()
        connection.channel.paceReads(atMost: ReadPacingHandler.mediaInterval)
        do {
            try await connection.executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    if !(await session.input.write(Array(buffer: buffer))) { break }
                }
            }
        } catch {
            logger.debug("TCP ingest connection ended", metadata: ["stream": "\(streamName)", "error": "\(error)"])
        }
        session.input.finish()
        let result = await outcome
        logger.info("TCP ingest ended", metadata: ["stream": "\(streamName)", "remote": "\(remote)",
                                                   "fragments": "\(result.summary.fragments)",
                                                   "error": "\(result.error.map { "\($0)" } ?? "none")"])
    }
}
