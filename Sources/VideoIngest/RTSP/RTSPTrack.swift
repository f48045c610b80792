import Foundation

/// One announced media section being received: how to depacketize it and how to describe it
/// to the Matroska bridge.
struct RTSPTrack {
    let media: SessionDescription.Media
    // One of these is set. Optionals mutated through `!` grow their buffers in place; an enum
    // payload taken out and put back would copy them for every packet.
    private var h264: H264Depacketizer?
    private var h265: H265Depacketizer?
    private var aac: AACDepacketizer?
    let container: MatroskaStreamWriter.Track
    /// Interleaved RTP channel given at SETUP (RTCP is the next one).
    var channel: UInt8?
    var firstTimestamp: Int64?
    var firstArrival: Int64?
    var packets = 0

    var isVideo: Bool { container.kind == .video }

    /// Nil for a media section videod does not ingest (it is then refused at SETUP or ignored).
    init?(media: SessionDescription.Media) throws {
        self.media = media
        switch media.encoding {
        case "H264":
            h264 = H264Depacketizer()
            container = .init(kind: .video, codecID: "V_MPEG4/ISO/AVC", codecPrivate: Self.annexB(media.parameterSets))
        case "H265":
            h265 = H265Depacketizer()
            container = .init(kind: .video, codecID: "V_MPEGH/ISO/HEVC", codecPrivate: Self.annexB(media.parameterSets))
        case "MPEG4-GENERIC" where media.kind == "audio":
            aac = try AACDepacketizer(formatParameters: media.formatParameters)
            let config = Self.hex(media.formatParameters["config"] ?? "")
            container = .init(kind: .audio, codecID: "A_AAC", codecPrivate: config,
                              sampleRate: Double(media.clockRate), channels: media.channels ?? 1)
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
