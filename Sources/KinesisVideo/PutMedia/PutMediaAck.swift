/// One acknowledgement in PutMedia's response stream, written as KVS writes them: one JSON object
/// per line, keys spelled and cased exactly (the producer SDK's parser scans characters, it is
/// not a JSON library), `FragmentTimecode` the cluster timecode as sent, `FragmentNumber` a string.
public struct PutMediaAck: Sendable, Equatable {
    public enum EventType: String, Sendable {
        case buffering = "BUFFERING", received = "RECEIVED", persisted = "PERSISTED", error = "ERROR", idle = "IDLE"
    }

    public var type: EventType
    public var timecode: UInt64?
    public var fragmentNumber: String?
    public var errorID: Int?

    public init(_ type: EventType, timecode: UInt64? = nil, fragmentNumber: String? = nil, errorID: Int? = nil) {
        self.type = type
        self.timecode = timecode
        self.fragmentNumber = fragmentNumber
        self.errorID = errorID
    }

    /// The ack as its line of the response (without the newline).
    public var line: String {
        var text = #"{"EventType":"\#(type.rawValue)""#
        if let timecode { text += #","FragmentTimecode":\#(timecode)"# }
        if let fragmentNumber { text += #","FragmentNumber":"\#(fragmentNumber)""# }
        if let errorID { text += #","ErrorId":\#(errorID)"# }
        return text + "}"
    }
}

/// KVS's PutMedia `ErrorId`s (the ones videod raises).
public enum PutMediaErrorID {
    public static let readError = 4000
    public static let fragmentTooLarge = 4001
    public static let fragmentTooLong = 4002
    public static let timecodeNotIncreasing = 4004
    public static let invalidMKV = 4006
    public static let internalError = 5000
    public static let archivingFailed = 5001
}
