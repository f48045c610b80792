import AWSProtocol
import Foundation
import Fragments
import Playback

/// The resources behind an HLS session URL: master and media playlists (relative URIs carrying
/// the token), init segments and the stored fragments as segments, byte for byte.
extension VideoStreamService {
    public func hlsMasterPlaylist(token: String?) throws -> String {
        let (session, stream) = try openSession(token)
        let (first, fragments) = try listedFragments(session, of: stream)
        let tracks = MP4Track.tracks(initSegment: try store.initSegment(id: first.initID))
        var attributes = ["BANDWIDTH=\(Self.peakBitrate(fragments))"]
        let codecs = tracks.compactMap(CodecString.of)
        if !codecs.isEmpty { attributes.append("CODECS=\"\(codecs.joined(separator: ","))\"") }
        if let video = tracks.first(where: { $0.kind == .video }), video.width > 0, video.height > 0 {
            attributes.append("RESOLUTION=\(video.width)x\(video.height)")
        }
        return ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS",
                "#EXT-X-STREAM-INF:" + attributes.joined(separator: ","),
                "getHLSMediaPlaylist.m3u8?SessionToken=\(token ?? "")&TrackNumber=1"].joined(separator: "\n") + "\n"
    }

    public func hlsMediaPlaylist(token: String?) throws -> String {
        let (session, _) = try openSession(token)
        let (fragments, sequence, ended) = try playlistFragments(session)
        let token = token ?? ""
        let discontinuities: HLSMediaPlaylist.Discontinuities = switch session.discontinuities {
        case .always: .always
        case .never: .never
        case .onDiscontinuity: .onGap
        }
        return HLSMediaPlaylist(fragments: fragments, mediaSequence: sequence, discontinuities: discontinuities,
                                showsProgramDateTime: session.showsProgramDateTime, ended: ended,
                                initURI: session.container == .mpegTS ? nil : {
                                    "getMP4InitFragment.mp4?SessionToken=\(token)&TrackNumber=1&FragmentNumber=\($0.number)"
                                },
                                segmentURI: session.container == .mpegTS
                                    ? { "getTSFragment.ts?FragmentNumber=\($0.number)&SessionToken=\(token)" }
                                    : { "getMP4MediaFragment.mp4?FragmentNumber=\($0.number)&SessionToken=\(token)&TrackNumber=1" })
            .text
    }

    /// The init segment (ftyp+moov) of the named fragment, or of the session's first.
    public func hlsInitSegment(token: String?, fragmentNumber: String?) throws -> [UInt8] {
        let fragment: FragmentRecord
        if fragmentNumber != nil {
            fragment = try sessionFragment(try openToken(token), number: fragmentNumber)
        } else {
            let (session, stream) = try openSession(token)
            fragment = try listedFragments(session, of: stream).first
        }
        return try store.initSegment(id: fragment.initID)
    }

    /// A stored fragment (moof+mdat) as the segment, unchanged: its decode times already sit on
    /// the stream's producer timeline.
    public func hlsMediaSegment(token: String?, fragmentNumber: String?) throws -> [UInt8] {
        let session = try openToken(token)
        return try store.bytes(of: try sessionFragment(session, number: fragmentNumber))
    }

    /// A stored fragment remuxed as a self-contained MPEG-TS segment (MPEG_TS sessions).
    public func hlsTSSegment(token: String?, fragmentNumber: String?) throws -> [UInt8] {
        let session = try openToken(token)
        guard session.container == .mpegTS else {
            throw VideoStreamError.invalidArgument("This session's ContainerFormat is FRAGMENTED_MP4.")
        }
        let fragment = try sessionFragment(session, number: fragmentNumber)
        return try TSSegment.make(initSegment: try store.initSegment(id: fragment.initID), fragment: try store.bytes(of: fragment))
    }

    /// Bits per second of the densest fragment listed (HLS: BANDWIDTH is a peak).
    static func peakBitrate(_ fragments: [FragmentRecord]) -> Int64 {
        let rates = fragments.map { fragment -> Int64 in
            guard fragment.duration > 0 else { return 0 }
            return fragment.size.multipliedReportingOverflow(by: 8_000_000).partialValue / fragment.duration
        }
        return max(rates.max() ?? 0, 1)
    }
}
