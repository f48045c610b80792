import AWSProtocol
import Foundation

/// The records one append gave one shard, packed into a single blob: the log stores a row per
/// (append, shard) instead of a row per record, so a PutRecords of 500 records costs SQLite a
/// few b-tree inserts, not 1,000. Records in a block have consecutive counters from the block's
/// first counter and share its arrival time.
///
/// Layout: a format byte (1), then per record a 4-byte big-endian partition key length, the key
/// (UTF-8), a 4-byte big-endian data length and the data.
enum RecordBlock {
    static let format: UInt8 = 1

    struct Entry: Equatable {
        var partitionKey: String
        var data: [UInt8]
    }

    static func encode(_ records: [NewRecord]) -> [UInt8] {
        var size = 1
        for record in records { size += 8 + record.partitionKey.utf8.count + record.data.count }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(format)
        for record in records {
            appendLength(record.partitionKey.utf8.count, to: &out)
            var key = record.partitionKey
            key.withUTF8 { out.append(contentsOf: $0) }
            appendLength(record.data.count, to: &out)
            out.append(contentsOf: record.data)
        }
        return out
    }

    /// Unpacks a block, handing each record's position in the block and a way to materialise it,
    /// so that records before a reader's start are skipped without copying. `visit` returns false
    /// to stop. Throws on a block that does not parse (never stored by this code).
    static func decode(_ bytes: UnsafeRawBufferPointer, _ visit: (_ index: Int, _ entry: () -> Entry) throws -> Bool) throws {
        guard bytes.first == format else { throw AWSError.internalFailure("unknown record block format") }
        var offset = 1
        var index = 0
        func length() throws -> Int {
            guard offset + 4 <= bytes.count else { throw AWSError.internalFailure("truncated record block") }
            let n = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4
            guard n <= bytes.count - offset else { throw AWSError.internalFailure("truncated record block") }
            return n
        }
        while offset < bytes.count {
            let keyLength = try length()
            let key = offset..<(offset + keyLength)
            offset += keyLength
            let dataLength = try length()
            let data = offset..<(offset + dataLength)
            offset += dataLength
            let proceed = try visit(index) {
                Entry(partitionKey: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key]), as: UTF8.self),
                      data: Array(bytes[data]))
            }
            guard proceed else { return }
            index += 1
        }
    }

    private static func appendLength(_ n: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: n >> 24))
        out.append(UInt8(truncatingIfNeeded: n >> 16))
        out.append(UInt8(truncatingIfNeeded: n >> 8))
        out.append(UInt8(truncatingIfNeeded: n))
    }
}
