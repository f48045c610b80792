import Foundation

/// The access keys videod accepts: from flags, from `VIDEOD_ACCESS_KEY`/`VIDEOD_SECRET_KEY`, or
/// from an AWS-style credentials file (every profile's `aws_access_key_id`/`aws_secret_access_key`).
/// Empty means authentication is off (and videod then listens on loopback only).
public struct AccessKeys: Sendable {
    public let secrets: [String: String]

    public init(_ secrets: [String: String]) {
        self.secrets = secrets
    }

    public var isEmpty: Bool { secrets.isEmpty }

    public func secret(for accessKey: String) -> String? { secrets[accessKey] }

    /// Parses an INI credentials file; throws a readable message when a profile is incomplete.
    public static func credentialsFile(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys: [String: String] = [:]
        var id: String?, secret: String?, section = ""
        func close() throws {
            if id == nil && secret == nil { return }
            guard let id, let secret else { throw CredentialsError("profile [\(section)] in \(path) needs both keys") }
            keys[id] = secret
        }
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                try close()
                id = nil; secret = nil
                section = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "aws_access_key_id" { id = parts[1] }
            if parts[0] == "aws_secret_access_key" { secret = parts[1] }
        }
        try close()
        return keys
    }
}

public struct CredentialsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
