import Logging
import NIOCore

/// The RTSP 1.0 ingest server on SwiftNIO: one `RTSPConnection` per TCP connection, driven by
/// an async loop over the socket so that waiting for the ingest queue stops reading (TCP
/// backpressure to the encoder) and a slow stream never holds up another.
public struct RTSPServer: Sendable {
    let ingest: IngestService
    let logger: Logger
    let authenticator: RTSPAuthenticator?
    /// Advertised in every Session header; the listener closes connections silent for longer.
    let sessionTimeout: Int64

    /// `authenticator`: nil serves without authentication (loopback only).
    public init(ingest: IngestService, logger: Logger, authenticator: RTSPAuthenticator? = nil, sessionTimeout: Int64 = 60) {
        self.ingest = ingest
        self.logger = logger
        self.authenticator = authenticator
        self.sessionTimeout = sessionTimeout
    }

    /// Accepts connections until the task is cancelled.
    public func serve(_ listener: TCPListener) async throws {
        try await listener.serve(logger: logger) { connection in await self.handle(connection) }
    }

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let remote = connection.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let rtsp = RTSPConnection(ingest: ingest, remote: remote, logger: logger, authenticator: authenticator,
                                  sessionTimeout: sessionTimeout)
        do {
            try await connection.executeThenClose { inbound, outbound in
                var paced = false
                for try await buffer in inbound {
                    let (reply, close) = await rtsp.receive(buffer.readableBytesView)
                    if !reply.isEmpty { try await outbound.write(ByteBuffer(bytes: reply)) }
                    if close { break }
                    if rtsp.isRecording && !paced {
                        // Requests are answered at once; once media flows, RTP packets are read in batches.
                        paced = true
                        connection.channel.paceReads(atMost: ReadPacingHandler.mediaInterval)
                    }
                }
            }
        } catch {
            logger.debug("RTSP connection ended", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
        await rtsp.closed()
    }
}
