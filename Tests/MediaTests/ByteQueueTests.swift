import Foundation
import XCTest
@testable import Media

final class ByteQueueTests: XCTestCase {
    func testWriterWaitsWhileFullAndReaderSeesEverythingInOrder() async throws {
        let queue = ByteQueue(capacity: 1000)
        let total = 20_000
        let source = (0..<total).map { UInt8(truncatingIfNeeded: $0) }
        let reader = Task.detached { () -> [UInt8] in
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 333)
            while true {
                let n = chunk.withUnsafeMutableBytes { queue.read(into: $0) }
                if n == 0 { break }
                received += chunk[0..<n]
                usleep(100) // a slow reader, so the writer has to wait
            }
            return received
        }
        var offset = 0
        var mostBuffered = 0
        while offset < total {
            let end = min(offset + 700, total)
            let accepted = await queue.write(Array(source[offset..<end]))
            XCTAssertTrue(accepted)
            offset = end
            mostBuffered = max(mostBuffered, offset - Int(queue.bytesConsumed))
        }
        queue.finish()
        // A write starts only below capacity, so at most one chunk more than the capacity is held.
        XCTAssertLessThanOrEqual(mostBuffered, 1000 + 700)
        XCTAssertGreaterThan(mostBuffered, 700, "the writer ran ahead of the slow reader up to the bound")
        let received = await reader.value
        XCTAssertEqual(received, source)
        XCTAssertEqual(queue.bytesConsumed, Int64(total))
    }

    func testPeekDoesNotConsume() async {
        let queue = ByteQueue()
        await queue.write([1, 2, 3, 4])
        queue.finish()
        XCTAssertEqual(queue.peek(2), [1, 2])
        XCTAssertEqual(queue.peek(10), [1, 2, 3, 4], "peek returns what there is once input ended")
        var out = [UInt8](repeating: 0, count: 10)
        let n = out.withUnsafeMutableBytes { queue.read(into: $0) }
        XCTAssertEqual(Array(out[0..<n]), [1, 2, 3, 4])
    }

    func testCancelReleasesAWaitingWriter() async {
        let queue = ByteQueue(capacity: 10)
        await queue.write([UInt8](repeating: 0, count: 10))
        let writer = Task { await queue.write([1]) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        queue.cancel()
        let accepted = await writer.value
        XCTAssertFalse(accepted, "a write after the reader went away is refused, not left hanging")
    }
}
