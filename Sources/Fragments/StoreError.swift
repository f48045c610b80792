import Foundation

/// A failure of the fragment store's files or index.
public enum StoreError: Error, CustomStringConvertible {
    case io(String, Int32)
    case notFound(String)
    case corrupt(String)
    /// A stream of that name exists already.
    case exists(String)
    /// The caller's idea of the stream's version is out of date.
    case versionMismatch(String)
    /// A stream may carry at most `StreamTags.maximum` tags.
    case tooManyTags(Int)

    public var description: String {
        switch self {
        case .io(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        case .notFound(let what): return "\(what) not found"
        case .corrupt(let what): return "corrupt store: \(what)"
        case .exists(let what): return "\(what) exists already"
        case .versionMismatch(let what): return what
        case .tooManyTags(let count): return "a stream can have at most \(StreamTags.maximum) tags, not \(count)"
        }
    }
}
