import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import KinesisVideo
import RouteSupport

/// The requests a player makes from an HLS session URL (`/hls/v1/…`). No SigV4 here: the signed
/// SessionToken in the query is the credential, as in KVS, so that players can open the URL.
public struct HLSRoutes: Sendable {
    let service: VideoStreamService

    public init(service: VideoStreamService) {
        self.service = service
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        let service = self.service
        router.get("/hls/v1/getHLSMasterPlaylist.m3u8") { request, _ in
            await Self.answer(request, type: "application/vnd.apple.mpegurl") { token, _ in
                Array(try service.hlsMasterPlaylist(token: token).utf8)
            }
        }
        router.get("/hls/v1/getHLSMediaPlaylist.m3u8") { request, _ in
            await Self.answer(request, type: "application/vnd.apple.mpegurl") { token, _ in
                Array(try service.hlsMediaPlaylist(token: token).utf8)
            }
        }
        router.get("/hls/v1/getMP4InitFragment.mp4") { request, _ in
            await Self.answer(request, type: "video/mp4") { token, number in
                try service.hlsInitSegment(token: token, fragmentNumber: number)
            }
        }
        router.get("/hls/v1/getTSFragment.ts") { request, _ in
            await Self.answer(request, type: "video/mp2t") { token, number in
                try service.hlsTSSegment(token: token, fragmentNumber: number)
            }
        }
        router.get("/hls/v1/getMP4MediaFragment.mp4") { request, _ in
            await Self.answer(request, type: "video/mp4") { token, number in
                try service.hlsMediaSegment(token: token, fragmentNumber: number)
            }
        }
    }

    /// Runs `make(SessionToken, FragmentNumber)` off the event loop; errors in KVS's REST-JSON shape.
    static func answer(_ request: Request, type: String,
                       _ make: @escaping @Sendable (String?, String?) throws -> [UInt8]) async -> Response {
        let requestID = UUID().uuidString
        let token = request.uri.queryParameters["SessionToken"].map(String.init)
        let number = request.uri.queryParameters["FragmentNumber"].map(String.init)
        do {
            let bytes = try await blocking { try make(token, number) }
            var headers = AWSErrorResponse.headers(requestID: requestID, encoding: .restJSON)
            headers[.contentType] = type
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        } catch let error as AWSError {
            return AWSErrorResponse.make(error, requestID: requestID, encoding: .restJSON)
        } catch {
            return AWSErrorResponse.make(AWSError.internalFailure("\(error)"), requestID: requestID, encoding: .restJSON)
        }
    }
}
