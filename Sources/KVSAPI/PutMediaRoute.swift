import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import KinesisVideo
import RouteSupport
import VideoIngest

/// `POST /putMedia`: a producer streams Matroska for as long as it records, and reads KVS's JSON
/// acknowledgements on the same connection while it sends (HTTP/1.1 full duplex: the response
/// begins as soon as the headers check out). The body's bytes flow into an ingest session with
/// the socket's backpressure; acks go out as they happen.
public struct PutMediaRoute: Sendable {
    let service: VideoStreamService
    let ingest: IngestService
    let authenticator: RequestAuthenticator?
    /// A quiet connection hears IDLE this often.
    static let idleSeconds: TimeInterval = 3

    public init(service: VideoStreamService, ingest: IngestService, authenticator: RequestAuthenticator?) {
        self.service = service
        self.ingest = ingest
        self.authenticator = authenticator
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        router.post("/putMedia") { request, context in
            await putMedia(request, remoteAddress: (context as? any RemoteAddressRequestContext)?.remoteAddress.map { "\($0)" })
        }
    }

    func putMedia(_ request: Request, remoteAddress: String?) async -> Response {
        let requestID = UUID().uuidString
        let session: PutMediaSession
        do {
            try SignedBody.verifyHeaders(request, authenticator: authenticator)
            let parsed = try PutMediaRequest { name in request.headers[HTTPField.Name(name)!] }
            let (service, ingest) = (self.service, self.ingest)
            session = try await blocking { try service.beginPutMedia(parsed, ingest: ingest, remoteAddress: remoteAddress) }
        } catch let error as AWSError {
            return AWSErrorResponse.make(error, requestID: requestID, encoding: .restJSON)
        } catch {
            return AWSErrorResponse.make(AWSError.internalFailure("\(error)"), requestID: requestID, encoding: .restJSON)
        }
        var headers = AWSErrorResponse.headers(requestID: requestID, encoding: .restJSON)
        headers[.contentType] = "application/json"
        let body = ResponseBody { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await session.run() }
                group.addTask {
                    do {
                        for try await chunk in request.body {
                            guard await session.feed(Array(buffer: chunk)) else { break }
                        }
                    } catch {
                        // The producer went away mid-body: what arrived whole is still stored.
                    }
                    session.endOfBody()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(nanoseconds: UInt64(Self.idleSeconds * 1_000_000_000))
                        session.idleIfQuiet(seconds: Self.idleSeconds)
                    }
                }
                for await ack in session.acks {
                    try await writer.write(ByteBuffer(string: ack.line + "\n"))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
