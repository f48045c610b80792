/// The region and account that videod answers as: they appear in every ARN it hands out and in
/// error messages, where AWS names the caller's account.
public struct AWSIdentity: Sendable, Equatable {
    public var region: String
    public var account: String

    public init(region: String, account: String) {
        self.region = region
        self.account = account
    }

    /// What a local endpoint conventionally answers as (LocalStack and moto use the same).
    public static let local = AWSIdentity(region: "us-east-1", account: "000000000000")
}
