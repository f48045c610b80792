import Primitives

/// Video stream names as KVS allows them.
public enum StreamName {
    public static let rule = "stream name must be 1-256 characters of [a-zA-Z0-9_.-]"

    public static func isValid(_ name: String) -> Bool {
        ResourceName.isValid(name, maxLength: 256)
    }
}
