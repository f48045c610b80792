import AWSProtocol
import Fragments
import Playback

/// The resources behind a DASH session URL: the MPD, and each track's init and media segments
/// taken out of the stored (muxed) fragments.
extension VideoStreamService {
    public func dashManifest(token: String?) throws -> String {
        let (session, stream) = try openSession(token)
        let (first, listed) = try listedFragments(session, of: stream)
        // A DASH period holds one codec configuration: the session's first.
        let fragments = listed.prefix { $0.initID == first.initID }
        let segments = try fragments.map { fragment in
            DASHManifest.Segment(fragment: fragment, timing: DASHManifest.timing(moof: try ClipPlanner.moof(of: fragment, store),
                                                                                size: Int(fragment.size)))
        }
        let token = token ?? ""
        var manifest = DASHManifest(tracks: MP4Track.tracks(initSegment: try store.initSegment(id: first.initID)), segments: segments,
                                    live: session.mode != .onDemand, now: clock(),
                                    initURI: { "getMP4InitFragment.mp4?SessionToken=\(token)&TrackNumber=\($1)&FragmentNumber=\($0.number)" },
                                    segmentURI: { "getMP4MediaFragment.mp4?FragmentNumber=\($0.number)&SessionToken=\(token)&TrackNumber=\($1)" })
        manifest.showsFragmentNumbers = session.showsFragmentNumbers
        manifest.showsFragmentTimestamps = session.showsProgramDateTime
        return manifest.text
    }

    /// One track's init segment (`TrackNumber` counts the init segment's tracks from 1).
    public func dashInitSegment(token: String?, fragmentNumber: String?, trackNumber: String?) throws -> [UInt8] {
        let session = try openToken(token)
        let fragment = try sessionFragment(session, number: fragmentNumber)
        let initSegment = try store.initSegment(id: fragment.initID)
        guard let bytes = SingleTrack.initSegment(initSegment, trackID: try track(trackNumber, of: initSegment).id) else {
            throw VideoStreamError.notFound("Track \(trackNumber ?? "") has no init segment.")
        }
        return bytes
    }

    /// One track's part of a stored fragment.
    public func dashMediaSegment(token: String?, fragmentNumber: String?, trackNumber: String?) throws -> [UInt8] {
        let session = try openToken(token)
        let fragment = try sessionFragment(session, number: fragmentNumber)
        let track = try track(trackNumber, of: try store.initSegment(id: fragment.initID))
        guard let bytes = SingleTrack.fragment(try store.bytes(of: fragment), trackID: track.id) else {
            throw VideoStreamError.notFound("Fragment \(fragment.number) has no samples of track \(trackNumber ?? "").")
        }
        return bytes
    }

    private func track(_ number: String?, of initSegment: [UInt8]) throws -> MP4Track {
        let tracks = MP4Track.tracks(initSegment: initSegment)
        guard let text = number, text.count <= 3, let index = Int(text), (1...tracks.count).contains(index) else {
            throw VideoStreamError.invalidArgument("TrackNumber must be 1 to \(tracks.count).")
        }
        return tracks[index - 1]
    }
}
