/// What a stream's owner declares about it (the Kinesis Video control plane's fields), beside the
/// identity and tracks of `StreamRecord`.
public struct StreamAttributes: Sendable, Equatable {
    public var deviceName: String?
    /// `type/subtype[,type/subtype]`, as the producer declared it (e.g. `video/h264`).
    public var mediaType: String?
    /// Accepted and echoed; videod does not encrypt.
    public var kmsKeyID: String?
    /// Hours fragments are kept; nil keeps everything (streams made by a push or the native API).
    public var retentionHours: Int?
    /// `HOT` or `WARM` (accepted and echoed: one storage here).
    public var storageTier: String
    /// Changes on every update, so that a client can update only what it last saw.
    public var version: String

    public init(deviceName: String? = nil, mediaType: String? = nil, kmsKeyID: String? = nil, retentionHours: Int? = nil,
                storageTier: String = "HOT", version: String = StreamAttributes.newVersion()) {
        self.deviceName = deviceName
        self.mediaType = mediaType
        self.kmsKeyID = kmsKeyID
        self.retentionHours = retentionHours
        self.storageTier = storageTier
        self.version = version
    }

    /// 12 random alphanumerics.
    public static func newVersion() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
