/// Splits RFC 3640 `mpeg4-generic` AAC-hbr payloads into raw AAC frames (no ADTS). Each packet
/// starts with a 16-bit AU-headers length in bits, then one header per access unit (size and
/// index fields whose widths the SDP's fmtp gives), then the frames back to back. A frame larger
/// than one packet arrives in fragments, the last carrying the marker bit.
public struct AACDepacketizer: Sendable {
    public struct Frame: Equatable, Sendable {
        public var timestamp: Int64
        public var data: [UInt8]
    }

    public enum ConfigurationError: Error, Equatable {
        case unsupportedMode(String)
        case badSizeLength
        case badIndexLength
    }

    let sizeLength: Int
    let indexLength: Int
    let indexDeltaLength: Int
    /// Samples per frame, to time frames after the first in a packet.
    let samplesPerFrame: Int64
    public private(set) var malformedPackets = 0
    private var unwrapper = RTPTimestampUnwrapper()
    private var partial: (timestamp: Int64, size: Int, data: [UInt8])?
    static let maxFrameBytes = 1 << 16

    public init(formatParameters fmtp: [String: String], samplesPerFrame: Int64 = 1024) throws {
        let mode = fmtp["mode"]?.lowercased() ?? ""
        guard mode == "aac-hbr" else { throw ConfigurationError.unsupportedMode(mode) }
        guard let size = Int(fmtp["sizelength"] ?? ""), (1...16).contains(size) else { throw ConfigurationError.badSizeLength }
        sizeLength = size
        // RFC 3640 fields of at most 16 bits (a longer one is not AAC-hbr and would overrun the reader).
        guard let index = Int(fmtp["indexlength"] ?? "0"), (0...16).contains(index),
              let delta = Int(fmtp["indexdeltalength"] ?? "0"), (0...16).contains(delta) else {
            throw ConfigurationError.badIndexLength
        }
        indexLength = index
        indexDeltaLength = delta
        self.samplesPerFrame = samplesPerFrame
    }

    public mutating func push(_ packet: RTPPacket) -> [Frame] {
        let timestamp = unwrapper.unwrap(packet.timestamp)
        let p = Array(packet.payload)
        guard p.count >= 2 else { malformedPackets += 1; return [] }
        let headerBits = Int(p[0]) << 8 | Int(p[1])
        let headerBytes = (headerBits + 7) / 8
        guard headerBits > 0, 2 + headerBytes <= p.count else { malformedPackets += 1; partial = nil; return [] }
        var reader = BitReader(bytes: p[2..<(2 + headerBytes)])
        var sizes: [Int] = []
        var consumed = 0
        while consumed + sizeLength <= headerBits {
            guard let size = reader.read(sizeLength), reader.read(sizes.isEmpty ? indexLength : indexDeltaLength) != nil else { break }
            sizes.append(size)
            consumed += sizeLength + (sizes.count == 1 ? indexLength : indexDeltaLength)
        }
        var data = p[(2 + headerBytes)...]
        // A fragment of one large frame: collect until the marker.
        if sizes.count == 1, sizes[0] > data.count {
            if partial == nil || partial!.timestamp != timestamp { partial = (timestamp, sizes[0], []) }
            partial!.data += data
            guard partial!.data.count <= min(partial!.size, Self.maxFrameBytes) else { malformedPackets += 1; partial = nil; return [] }
            guard packet.marker else { return [] }
            defer { partial = nil }
            guard partial!.data.count == partial!.size else { malformedPackets += 1; return [] }
            return [Frame(timestamp: timestamp, data: partial!.data)]
        }
        var frames: [Frame] = []
        for (i, size) in sizes.enumerated() {
            guard size <= data.count else { malformedPackets += 1; break }
            frames.append(Frame(timestamp: timestamp + Int64(i) * samplesPerFrame, data: Array(data.prefix(size))))
            data = data.dropFirst(size)
        }
        return frames
    }
}
