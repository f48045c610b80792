import Foundation

/// A failure of the fragment store's files or index.
public enum StoreError: Error, CustomStringConvertible {
    case io(String, Int32)
    case notFound(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .io(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        case .notFound(let what): return "\(what) not found"
        case .corrupt(let what): return "corrupt store: \(what)"
        }
    }
}
