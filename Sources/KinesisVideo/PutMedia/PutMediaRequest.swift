import AWSProtocol
import Fragments
import Primitives

/// What PutMedia's request headers say (`x-amzn-…`): which stream, and how cluster timecodes map
/// onto the producer's clock. Checked before the response begins, so that a bad header is a
/// plain AWS error rather than an ack.
public struct PutMediaRequest: Sendable, Equatable {
    public enum TimecodeType: String, Sendable {
        /// Cluster timecodes count from the producer start timestamp.
        case relative = "RELATIVE"
        /// Cluster timecodes are times since the epoch.
        case absolute = "ABSOLUTE"
    }

    public var streamName: String?
    public var streamARN: String?
    public var timecodeType: TimecodeType
    /// Microseconds since the epoch.
    public var producerStart: Int64?

    public init(streamName: String? = nil, streamARN: String? = nil, timecodeType: TimecodeType, producerStart: Int64? = nil) {
        self.streamName = streamName
        self.streamARN = streamARN
        self.timecodeType = timecodeType
        self.producerStart = producerStart
    }

    /// Reads the request from its headers (`header` looks one up by lower-case name).
    public init(header: (String) -> String?) throws {
        streamName = header("x-amzn-stream-name")
        streamARN = header("x-amzn-stream-arn")
        guard (streamName == nil) != (streamARN == nil) else {
            throw VideoStreamError.invalidArgument("PutMedia needs exactly one of x-amzn-stream-name and x-amzn-stream-arn.")
        }
        guard let typeText = header("x-amzn-fragment-timecode-type") else {
            throw VideoStreamError.invalidArgument("PutMedia needs x-amzn-fragment-timecode-type (ABSOLUTE or RELATIVE).")
        }
        guard let type = TimecodeType(rawValue: typeText.uppercased()) else {
            throw VideoStreamError.invalidArgument("x-amzn-fragment-timecode-type must be ABSOLUTE or RELATIVE.")
        }
        timecodeType = type
        if let startText = header("x-amzn-producer-start-timestamp") {
            guard let start = Timestamp.parse(startText), start >= 0 else {
                throw VideoStreamError.invalidArgument("x-amzn-producer-start-timestamp must be epoch seconds, such as 1663277247.152.")
            }
            producerStart = start
        }
    }

    /// Producer time at the container's time zero: the start for RELATIVE timecodes (arrival when
    /// the producer gave none), the epoch for ABSOLUTE ones.
    func producerZero(arrival: Int64) -> Int64 {
        switch timecodeType {
        case .relative: producerStart ?? arrival
        case .absolute: 0
        }
    }
}
