import HTTPTypes
import Hummingbird
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
        do {
            for try await chunk in request.body {
                let accepted = await session.input.write(Array(buffer: chunk))
                if !accepted { break }
            }
        } catch {
            context.logger.info("push body ended early: \(error)")
        }
        session.input.finish()
        let result = await outcome
        if let error = result.error {
            return APIError(error).withSummary(result.summary)
        }
        return JSONResponse.make(result.summary)
    }
}
