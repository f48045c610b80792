import Crypto
import Foundation

/// The key streaming-session tokens are signed with, kept in the data directory so that player
/// URLs handed out stay valid across a restart. Made once, readable by the owner only.
public enum SessionKey {
    public static func load(directory: String) throws -> [UInt8] {
        let path = directory + "/session.key"
        if let bytes = FileManager.default.contents(atPath: path), bytes.count == 32 {
            return [UInt8](bytes)
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return bytes
    }
}
