/// Amazon Resource Names of the streams videod serves.
public enum ARN {
    /// A data stream: `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`.
    public static func dataStream(_ name: String, in identity: AWSIdentity) -> String {
        "arn:aws:kinesis:\(identity.region):\(identity.account):stream/\(name)"
    }

    /// The stream name inside a data stream ARN, if it is one.
    public static func dataStreamName(from arn: String) -> String? {
        guard arn.hasPrefix("arn:aws:kinesis:"), let range = arn.range(of: ":stream/") else { return nil }
        return String(arn[range.upperBound...])
    }

    /// The name and creation time (milliseconds) inside a video stream ARN, if it is one of
    /// `identity`'s (another region or account names a stream videod does not have).
    public static func videoStream(from arn: String, in identity: AWSIdentity) -> (name: String, createdMillis: Int64)? {
        let prefix = "arn:aws:kinesisvideo:\(identity.region):\(identity.account):stream/"
        guard arn.hasPrefix(prefix) else { return nil }
        let rest = arn.dropFirst(prefix.count)
        guard let slash = rest.lastIndex(of: "/"), let millis = Int64(rest[rest.index(after: slash)...]), millis >= 0 else {
            return nil
        }
        let name = String(rest[..<slash])
        return name.isEmpty ? nil : (name, millis)
    }

    /// A video stream: `arn:aws:kinesisvideo:REGION:ACCOUNT:stream/NAME/CREATION_MILLIS`, as KVS
    /// writes them — the creation time tells a stream from one deleted and created again under its name.
    public static func videoStream(_ name: String, createdAt micros: Int64, in identity: AWSIdentity) -> String {
        "arn:aws:kinesisvideo:\(identity.region):\(identity.account):stream/\(name)/\(micros / 1000)"
    }
}
