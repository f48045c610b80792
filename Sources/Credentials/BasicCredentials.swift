import Foundation

/// HTTP/RTSP Basic credentials (base64 of `user:password`) checked against the access keys: the
/// user is an access key, the password its secret (as ffmpeg sends them from `user:pass@` URLs).
public enum BasicCredentials {
    /// `encoded`: what follows "Basic " in an `Authorization` header.
    public static func prove(_ encoded: String, against keys: AccessKeys) -> Bool {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), let secret = keys.secret(for: String(text[..<colon])) else { return false }
        return ConstantTime.equal(secret, String(text[text.index(after: colon)...]))
    }
}
