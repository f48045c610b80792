import Fragments
import Media

/// Which demuxed tracks a session keeps: the first H.264/H.265 video track and the first AAC
/// audio track. Anything else is ignored; a video track in another codec is an error.
struct TrackSelection {
    static let videoCodecs: Set<String> = ["h264", "hevc"]
    static let audioCodecs: Set<String> = ["aac"]

    /// Input stream indexes in output order (video first).
    let inputs: [StreamInfo]

    init(streams: [StreamInfo]) throws {
        let videos = streams.filter { $0.kind == .video }
        guard let video = videos.first(where: { Self.videoCodecs.contains($0.codecName) }) else {
            if let other = videos.first {
                throw IngestError.unsupportedCodec("video codec \(other.codecName) is not supported (use H.264 or H.265)")
            }
            let found = streams.map { "\($0.kind.rawValue) \($0.codecName)" }.joined(separator: ", ")
            throw IngestError.unsupportedCodec("no H.264 or H.265 video track (found: \(found.isEmpty ? "nothing" : found))")
        }
        guard video.width > 0, video.height > 0 else {
            throw IngestError.malformedMedia("the \(video.codecName) track has no picture size (missing parameter sets)")
        }
        var chosen = [video]
        if let audio = streams.first(where: { $0.kind == .audio && Self.audioCodecs.contains($0.codecName) && $0.sampleRate > 0 }) {
            chosen.append(audio)
        }
        inputs = chosen
    }

    func outputTrack(forInput index: Int) -> Int? {
        inputs.firstIndex { $0.index == index }
    }

    var descriptions: [TrackDescription] {
        inputs.map { info in
            info.kind == .video
                ? TrackDescription(kind: "video", codec: info.codecName, width: info.width, height: info.height)
                : TrackDescription(kind: "audio", codec: info.codecName, sampleRate: info.sampleRate, channels: info.channels)
        }
    }
}
