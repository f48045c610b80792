import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import KinesisVideo
import Playback
import RouteSupport
import ServiceLifecycle
import VideoIngest

/// GetMedia and GetMediaForFragmentList: a JSON request (SigV4 over it when keys are set), then
/// a `video/webm` body of Matroska documents, one per fragment, written as they are read so
/// that a slow reader holds back the reading (backpressure), never a growing buffer.
public struct MediaRoutes: Sendable {
    let service: VideoStreamService
    let ingest: IngestService
    let authenticator: RequestAuthenticator?
    /// Caught up and nothing pushing into the stream for this long: the response ends.
    static let quietEnd: TimeInterval = 3
    /// Caught up while a push goes on but no fragment for this long (boto3 gives up reading
    /// after 60 s): the response ends; the consumer resumes with its continuation token.
    static let liveEnd: TimeInterval = 40
    static let pollInterval: UInt64 = 100_000_000
    /// GetClip reads this much of the segment files per hop off the event loop.
    static let clipReadSize = 4 << 20

    public init(service: VideoStreamService, ingest: IngestService, authenticator: RequestAuthenticator?) {
        self.service = service
        self.ingest = ingest
        self.authenticator = authenticator
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        router.post("/getMedia") { request, _ in await getMedia(request) }
        router.post("/getMediaForFragmentList") { request, _ in await getMediaForFragmentList(request) }
        router.post("/getClip") { request, _ in await getClip(request) }
    }

    static func mediaHeaders(_ requestID: String) -> HTTPFields {
        var headers = AWSErrorResponse.headers(requestID: requestID, encoding: .restJSON)
        headers[.contentType] = "video/webm"
        return headers
    }

    func getMedia(_ request: Request) async -> Response {
        let requestID = UUID().uuidString
        let session: MediaSession
        do {
            let members = try await KinesisVideoRoutes.members(request, authenticator: authenticator, operation: "GetMedia")
            let service = self.service
            session = try await blocking { try service.beginGetMedia(members) }
        } catch {
            return Self.errorResponse(error, requestID)
        }
        let ingest = self.ingest
        let body = ResponseBody { writer in
            let stopping = StopFlag()
            try await withGracefulShutdownHandler {
                var lastNews = Date()
                while !Task.isCancelled && !stopping.isSet {
                    // A bounded batch at a time: written out (at the reader's pace) before the next is read.
                    let documents = try await blocking { try session.next() }
                    if documents.readableBytes > 0 {
                        try await writer.write(documents)
                        lastNews = Date()
                        continue
                    }
                    let quiet = -lastNews.timeIntervalSinceNow
                    if quiet >= Self.liveEnd || (quiet >= Self.quietEnd && !ingest.isIngesting(session.streamName)) { break }
                    try await Task.sleep(nanoseconds: Self.pollInterval)
                }
            } onGracefulShutdown: {
                stopping.set()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.mediaHeaders(requestID), body: body)
    }

    func getMediaForFragmentList(_ request: Request) async -> Response {
        let requestID = UUID().uuidString
        let service = self.service
        let fragments: ListedFragments
        do {
            let members = try await KinesisVideoRoutes.members(request, authenticator: authenticator, operation: "GetMediaForFragmentList")
            fragments = try await blocking { try service.fragmentList(members) }
        } catch {
            return Self.errorResponse(error, requestID)
        }
        let body = ResponseBody { writer in
            var index = 0
            while index < fragments.count {
                let start = index
                let batch = try await blocking { try fragments.documents(from: start) }
                try await writer.write(batch.bytes)
                index = batch.next
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.mediaHeaders(requestID), body: body)
    }

    /// GetClip: the MP4 streamed from the segment files a few MB at a time, its length known.
    func getClip(_ request: Request) async -> Response {
        let requestID = UUID().uuidString
        let service = self.service
        let plan: ClipPlanner.Plan
        do {
            let members = try await KinesisVideoRoutes.members(request, authenticator: authenticator, operation: "GetClip")
            plan = try await blocking { try service.clipPlan(members) }
        } catch {
            return Self.errorResponse(error, requestID)
        }
        let file = plan.file
        var headers = AWSErrorResponse.headers(requestID: requestID, encoding: .restJSON)
        headers[.contentType] = "video/mp4"
        let body = ResponseBody(contentLength: file.contentLength) { writer in
            var position = 0
            while position < file.contentLength {
                let piece = position..<min(file.contentLength, position + Self.clipReadSize)
                try await writer.write(try await blocking { try service.clipBytes(file, piece) })
                position = piece.upperBound
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func errorResponse(_ error: any Error, _ requestID: String) -> Response {
        let aws = (error as? AWSError) ?? AWSError.internalFailure("\(error)")
        return AWSErrorResponse.make(aws, requestID: requestID, encoding: .restJSON)
    }
}
