/// Where an ingest session's timeline sits on the producer's clock (µs since 1970).
enum ProducerTimeline: Equatable {
    /// The producer time of the session's first packet (a push's declared start, an RTSP push's
    /// sender report for its first frame, or arrival).
    case firstPacketAt(Int64)
    /// The producer time of stream time 0, as libavformat's RTSP client learns it from the
    /// camera's RTCP sender reports; the first packet's own stream time is added to it.
    case streamZeroAt(Int64)
}
