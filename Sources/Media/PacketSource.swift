/// Where an ingest session's packets come from: a libavformat demuxer, or access units
/// depacketized from RTP. Used by one thread at a time; all calls may block.
public protocol PacketSource: AnyObject {
    var streams: [StreamInfo] { get }
    /// The demuxer or protocol in use, for messages ("matroska,webm", "rtp").
    var formatName: String { get }
    func codecParameters(of index: Int) throws -> CodecParameters
    /// The next packet; nil at a clean end of input. Throws on corrupt or cut-off input.
    func readPacket() throws -> Packet?
    func close()
    /// The producer's wall-clock time (µs since 1970) of stream time 0, when the input says.
    var producerClockAtZero: Int64? { get }
}

extension PacketSource {
    public var producerClockAtZero: Int64? { nil }
}

extension Demuxer: PacketSource {}
