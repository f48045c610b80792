/// Demuxes a long fragmented MP4 push as a chain of demuxers, one per leg of
/// `FragmentedMP4Legs`, so that the memory libav's mov demuxer keeps per fragment read is given
/// back every few hundred fragments instead of growing for the push's whole life. The packets
/// are those one demuxer would give: each leg starts at a `moof` carrying its decode times.
public final class ChainedMP4Demuxer: PacketSource {
    private let legs: FragmentedMP4Legs
    private var current: Demuxer
    public let streams: [StreamInfo]
    public let formatName: String
    /// The first leg's tracks as its probe saw them, kept past its close and given to later legs.
    private let probed: [ProbedTrack]

    /// - Parameter moofsPerLeg: fragments one demuxer reads before the next takes over.
    public init(source: ByteQueue, moofsPerLeg: Int) throws {
        legs = FragmentedMP4Legs(queue: source, moofsPerLeg: moofsPerLeg)
        let first = try Demuxer(leg: legs, probe: true)
        current = first
        streams = first.streams
        formatName = first.formatName
        probed = try first.probedTracks()
    }

    /// How many demuxers have read this input so far.
    public var legCount: Int { legs.legCount }

    public func codecParameters(of index: Int) throws -> CodecParameters {
        guard probed.indices.contains(index) else {
            throw MediaError("codec parameters", message: "no track \(index)")
        }
        return probed[index].parameters
    }

    public func readPacket() throws -> Packet? {
        while true {
            if let packet = try current.readPacket() {
                if let position = packet.position {
                    packet.position = legs.inputPosition(ofLegPosition: position)
                }
                return packet
            }
            guard legs.endedAtCut else { return nil }
            current.close()
            legs.startNextLeg()
            let next = try Demuxer(leg: legs, probe: false)
            try next.adopt(probed)
            current = next
        }
    }

    public func close() { current.close() }
}
