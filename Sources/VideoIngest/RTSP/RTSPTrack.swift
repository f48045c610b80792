import Foundation
import Media

/// One announced media section being received: how to depacketize it and how it is stored.
struct RTSPTrack {
    let media: SessionDescription.Media
    // One of these is set. Optionals mutated through `!` grow their buffers in place; an enum
    // payload taken out and put back would copy them for every packet.
    private var h264: H264Depacketizer?
    private var h265: H265Depacketizer?
    private var aac: AACDepacketizer?
    let format: RTPTrackFormat
    /// Interleaved RTP channel given at SETUP (RTCP is the next one).
    var channel: UInt8?
    /// The track's first frame: its RTP time, and where it sits on the session timeline (RTP ticks).
    var firstTimestamp: Int64?
    var firstOffset: Int64?
    var packets = 0

    var isVideo: Bool {
        if case .video = format { return true }
        return false
    }

    /// Nil for a media section videod does not ingest (it is then refused at SETUP or ignored).
    init?(media: SessionDescription.Media) throws {
        self.media = media
        switch media.encoding {
        case "H264":
            h264 = H264Depacketizer()
            format = .video(.h264, parameterSets: Self.annexB(media.parameterSets))
        case "H265":
            h265 = H265Depacketizer()
            format = .video(.hevc, parameterSets: Self.annexB(media.parameterSets))
        case "MPEG4-GENERIC" where media.kind == "audio":
            aac = try AACDepacketizer(formatParameters: media.formatParameters)
            format = .aac(config: Self.hex(media.formatParameters["config"] ?? ""), sampleRate: media.clockRate,
                          channels: media.channels ?? 1)
        default:
            return nil
        }
    }

    /// Feeds one RTP packet; returns complete frames as (RTP time, key frame, bytes).
    mutating func push(_ packet: RTPPacket) -> [(timestamp: Int64, isKeyFrame: Bool, data: [UInt8])] {
        packets += 1
        if h264 != nil { return h264!.push(packet).map { ($0.timestamp, $0.isKeyFrame, $0.data) } }
        if h265 != nil { return h265!.push(packet).map { ($0.timestamp, $0.isKeyFrame, $0.data) } }
        if aac != nil { return aac!.push(packet).map { ($0.timestamp, true, $0.data) } }
        return []
    }

    /// Access units thrown away after packet loss or malformed packets.
    var lost: Int {
        if let h264 { return h264.droppedAccessUnits + h264.malformedPackets }
        if let h265 { return h265.droppedAccessUnits + h265.malformedPackets }
        return aac?.malformedPackets ?? 0
    }

    static func annexB(_ sets: [[UInt8]]) -> [UInt8] {
        sets.flatMap { [0, 0, 0, 1] + $0 }
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index != text.endIndex {
            guard let byte = UInt8(text[index..<next], radix: 16) else { return [] }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
