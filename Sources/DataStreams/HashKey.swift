import Crypto
import Foundation

/// Kinesis routes a record by the MD5 of its partition key, read as a big-endian unsigned 128-bit
/// integer, into the shard whose inclusive hash-key range contains it.
public enum HashKey {
    public static let max = UInt128.max

    public static func of(partitionKey: String) -> UInt128 {
        var key = partitionKey
        var md5 = Insecure.MD5()
        key.withUTF8 { md5.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return md5.finalize().withUnsafeBytes { digest in digest.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }

    /// The ranges AWS gives `count` new shards: boundaries at i·⌊2^128/count⌋, the last ending at 2^128−1.
    public static func initialRanges(count: Int) -> [ClosedRange<UInt128>] {
        guard count > 1 else { return [0...UInt128.max] }
        let width = UInt128.max / UInt128(count) + (UInt128.max % UInt128(count) == UInt128(count) - 1 ? 1 : 0)
        return (0..<count).map { i in
            let start = width * UInt128(i)
            let end = i == count - 1 ? UInt128.max : width * UInt128(i + 1) - 1
            return start...end
        }
    }

    /// A decimal 0 … 2^128−1, as `ExplicitHashKey` carries it.
    public static func parse(_ text: String) -> UInt128? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt128(text)
    }
}
