import Media

/// A stored fragment as an MPEG-TS segment (HLS `ContainerFormat` MPEG_TS): its samples as
/// packets, interleaved by decode time, remuxed through libavformat. Timestamps stay on the
/// stream's producer timeline, so consecutive segments play on.
public enum TSSegment {
    public static func make(initSegment: [UInt8], fragment: [UInt8]) throws -> [UInt8] {
        var parameters: [CodecParameters] = []
        var kept: [MP4Track] = []
        for track in MP4Track.tracks(initSegment: initSegment) {
            guard let carried = try track.codecParameters() else { continue }
            parameters.append(carried)
            kept.append(track)
        }
        var packets: [(time: Int64, track: Int, packet: Packet)] = []
        for sample in MP4Sample.samples(fragment: fragment) {
            guard let index = kept.firstIndex(where: { $0.id == sample.trackID }) else { continue }
            let scale = kept[index].timescale
            let packet = try Packet(copying: Array(fragment[sample.range]))
            let dts = TrackTime.microseconds(Int64(clamping: sample.decodeTime), scale)
            packet.setTiming(pts: TrackTime.microseconds(sample.presentationTime, scale), dts: dts, isKeyFrame: sample.isSync)
            packets.append((dts, index, packet))
        }
        packets.sort { $0.time < $1.time }
        return try MPEGTSSegmentMuxer.segment(tracks: parameters, packets: packets.map { ($0.track, $0.packet) })
    }
}
