import Crypto
import Foundation
import Hummingbird

/// A request body that must hash (SHA-256) to what the request's signature covered
/// (`x-amz-content-sha256`): the bytes pass through as they arrive, and reaching the end with
/// any other hash throws `InvalidSignatureException`, so that a captured signature cannot carry
/// another body. (A stream can only be checked at its end.)
struct HashCheckedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let expected: String

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let expected: String
        var hasher = SHA256()

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else {
                let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                guard digest == expected else { throw Self.mismatch }
                return nil
            }
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            return buffer
        }

        static let mismatch = APIError(.forbidden, "InvalidSignatureException",
                                       "The request body does not match the signed x-amz-content-sha256")
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), expected: expected)
    }
}
