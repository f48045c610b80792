import Hummingbird
import KinesisVideo

/// The requests a player makes from a DASH session URL (`/dash/v1/…`); the SessionToken is the
/// credential, as for HLS. Each track is its own representation (TrackNumber from 1).
public struct DASHRoutes: Sendable {
    let service: VideoStreamService

    public init(service: VideoStreamService) {
        self.service = service
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        let service = self.service
        router.get("/dash/v1/getDASHManifest.mpd") { request, _ in
            await HLSRoutes.answer(request, type: "application/dash+xml") { token, _ in
                Array(try service.dashManifest(token: token).utf8)
            }
        }
        router.get("/dash/v1/getMP4InitFragment.mp4") { request, _ in
            let track = request.uri.queryParameters["TrackNumber"].map(String.init)
            return await HLSRoutes.answer(request, type: "video/mp4") { token, number in
                try service.dashInitSegment(token: token, fragmentNumber: number, trackNumber: track)
            }
        }
        router.get("/dash/v1/getMP4MediaFragment.mp4") { request, _ in
            let track = request.uri.queryParameters["TrackNumber"].map(String.init)
            return await HLSRoutes.answer(request, type: "video/mp4") { token, number in
                try service.dashMediaSegment(token: token, fragmentNumber: number, trackNumber: track)
            }
        }
    }
}
