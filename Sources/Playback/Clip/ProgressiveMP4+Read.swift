import Fragments
import NIOCore

extension ProgressiveMP4 {
    /// Bytes `range` of the file (clamped to it), read from the header and the segment files.
    public func read(_ range: Range<Int>, from store: FragmentStore) throws -> ByteBuffer {
        let range = range.clamped(to: 0..<contentLength)
        var buffer = ByteBufferAllocator().buffer(capacity: range.count)
        if range.lowerBound < header.count {
            buffer.writeBytes(header[range.lowerBound..<min(range.upperBound, header.count)])
        }
        // The first chunk ending after the range's start (chunks are in file order).
        var low = 0, high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].offset + chunks[middle].range.count <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        for chunk in chunks[low...] {
            guard chunk.offset < range.upperBound else { break }
            let from = max(range.lowerBound, chunk.offset) - chunk.offset
            let to = min(range.upperBound, chunk.offset + chunk.range.count) - chunk.offset
            let bytes = try store.bytes(of: chunk.fragment, in: (chunk.range.lowerBound + from)..<(chunk.range.lowerBound + to))
            guard bytes.count == to - from else { throw StoreError.io("short read of fragment \(chunk.fragment.number)", 5) }
            buffer.writeBytes(bytes)
        }
        return buffer
    }
}
