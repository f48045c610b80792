import HTTPTypes
import Hummingbird
import Fragments
import NIOCore
import Primitives
import RouteSupport
import VideoIngest

/// `POST|PUT /streams/{name}/ingest`: one long request body carrying fMP4, MPEG-TS or Matroska.
/// The body streams into the session's bounded queue; when the queue is full the read side of
/// the socket waits, which is the backpressure.
struct IngestRoutes: Sendable {
    let ingest: IngestService

    @Sendable func push(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        var producerStart: Int64?
        if let header = request.headers[HTTPField.Name("X-Producer-Start-Timestamp")!] {
            guard let parsed = Timestamp.parse(header) else {
                throw APIError.invalidArgument("X-Producer-Start-Timestamp must be RFC 3339 or epoch seconds")
            }
            producerStart = parsed
        }
        let session: IngestSession
        do {
            session = try ingest.begin(IngestRequest(
                streamName: name, contentType: request.headers[.contentType], producerStart: producerStart,
                source: "http", remoteAddress: (context as? any RemoteAddressRequestContext)?.remoteAddress.map { "\($0)" }))
        } catch let error as IngestError {
            throw APIError(error)
        }
        async let outcome = session.run()
        var unsigned: APIError?
        do {
            for try await chunk in request.body {
                let accepted = await session.input.write(Array(buffer: chunk))
                if !accepted { break }
            }
        } catch let error as APIError where error.code == "InvalidSignatureException" {
            unsigned = error
        } catch {
            context.logger.info("push body ended early: \(error)")
        }
        session.input.finish()
        let result = await outcome
        if let unsigned {
            // The body was not the one the signature covered (known only at its end): what it
            // stored is taken out of the index again.
            try await removeStored(result.summary, streamName: name)
            throw unsigned
        }
        if let error = result.error {
            return APIError(error).withSummary(result.summary)
        }
        return JSONResponse.make(result.summary)
    }
}

extension IngestRoutes {
    /// Takes a push's stored fragments out of the index again.
    func removeStored(_ summary: IngestSummary, streamName: String) async throws {
        guard let first = summary.firstFragmentNumber.flatMap(FragmentNumber.init),
              let last = summary.lastFragmentNumber.flatMap(FragmentNumber.init), first <= last else { return }
        let store = ingest.store
        try await blocking {
            guard let stream = try store.stream(named: streamName) else { return }
            try store.removeFragments(streamID: stream.id, numbers: first...last)
        }
    }
}
