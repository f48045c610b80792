import Foundation

/// A fresh directory under the system's temporary folder; `remove()` deletes it and its contents.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "videod-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
