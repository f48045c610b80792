import CFFmpeg
import Foundation

/// An FFmpeg failure, carrying the libav error code and its message so callers can
/// turn it into a protocol-level error without knowing libav.
public struct MediaError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let code: Int32
    public let message: String

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
        var buffer = [CChar](repeating: 0, count: 256)
        let text = buffer.withUnsafeMutableBufferPointer { ptr in
            String(cString: videod_error_string(code, ptr.baseAddress, ptr.count))
        }
        self.message = text
    }

    public init(_ operation: String, message: String) {
        self.operation = operation
        self.code = 0
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}

@inline(__always)
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
    if result < 0 { throw MediaError(operation(), code: result) }
}
