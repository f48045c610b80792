import Fragments
import Media

/// Pictures from one stored fragment: its video samples decoded from the key frame it starts
/// with, forward only as far as the latest instant asked for, and for each instant the frame
/// showing then (the last whose presentation time is at or before it).
public enum FragmentPictures {
    /// - Parameters:
    ///   - instants: producer times (µs since the epoch), ascending, within the fragment.
    ///   - encode: makes the image of a picture (the encoder is chosen once the size is known).
    /// - Returns: one image per instant, nil where no picture is shown yet.
    public static func images(initSegment: [UInt8], fragment: [UInt8], instants: [Int64],
                              encode: (DecodedFrame) throws -> [UInt8]) throws -> [[UInt8]?] {
        guard let track = MP4Track.tracks(initSegment: initSegment).first(where: { $0.kind == .video }),
              !instants.isEmpty, let parameters = try track.codecParameters() else { return instants.map { _ in nil } }
        let decoder = try VideoDecoder(parameters: parameters)
        defer { decoder.close() }
        // Frames come out in presentation order: each instant takes the last frame at or before
        // it, so at most two pictures are held at a time.
        var images: [[UInt8]?] = []
        var current: DecodedFrame?
        var failure: (any Error)?
        func take(_ frame: DecodedFrame) {
            guard failure == nil, let pts = frame.pts else { return }
            while images.count < instants.count, pts > instants[images.count] {
                do {
                    images.append(try encode(current ?? frame))
                } catch {
                    failure = error
                    return
                }
            }
            current = frame
        }
        for sample in MP4Sample.samples(fragment: fragment) where sample.trackID == track.id {
            let packet = try Packet(copying: Array(fragment[sample.range]))
            packet.setTiming(pts: TrackTime.microseconds(sample.presentationTime, track.timescale),
                             dts: TrackTime.microseconds(Int64(clamping: sample.decodeTime), track.timescale), isKeyFrame: sample.isSync)
            // A damaged picture is skipped; the next ones may still decode.
            try? decoder.decodePictures(packet, take)
            if images.count == instants.count || failure != nil { break }
        }
        if images.count < instants.count { try? decoder.decodePictures(nil, take) }
        if let failure { throw failure }
        while images.count < instants.count { images.append(try current.map(encode)) }
        return images
    }
}
