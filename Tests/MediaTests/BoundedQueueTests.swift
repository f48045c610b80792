import Foundation
import XCTest
@testable import Media

final class BoundedQueueTests: XCTestCase {
    func testBatchesArriveInOrderAndTheEndIsSeenAfterTheLast() async {
        let queue = BoundedQueue<String>(capacity: 100) { $0.utf8.count }
        await queue.write(["a", "bb"])
        await queue.write(["ccc"])
        queue.finish()
        XCTAssertEqual([queue.read(), queue.read(), queue.read()], ["a", "bb", "ccc"])
        XCTAssertNil(queue.read(), "finished and drained")
        XCTAssertEqual(queue.costConsumed, 6)
    }

    func testPollDoesNotWait() async {
        let queue = BoundedQueue<Int>(capacity: 10) { _ in 1 }
        XCTAssertNil(queue.poll())
        await queue.write([7])
        XCTAssertEqual(queue.poll(), 7)
    }

    func testAWriterWaitsWhileTheQueueIsFullAndResumesWhenTheReaderTakes() async throws {
        let queue = BoundedQueue<Int>(capacity: 2) { _ in 1 }
        await queue.write([1, 2])
        let wrote = InterruptFlag() // a thread-safe flag
        let writer = Task {
            let accepted = await queue.write([3])
            wrote.raise()
            return accepted
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertFalse(wrote.isRaised, "the writer waits while the queue is full")
        XCTAssertEqual(queue.read(), 1)
        let accepted = await writer.value
        XCTAssertTrue(accepted)
        XCTAssertEqual([queue.poll(), queue.poll()], [2, 3])
    }

    /// A writer that stays ahead of the reader (a recording uploaded faster than real time) must
    /// not make the queue keep every element it has handed out: its memory stays bounded.
    func testAReaderThatNeverCatchesUpDoesNotKeepWhatItRead() async {
        let queue = BoundedQueue<[UInt8]>(capacity: 1 << 20) { $0.count }
        await queue.write((0..<10).map { [UInt8(truncatingIfNeeded: $0)] })
        var expected = 0
        for next in 10..<20_000 {
            await queue.write([[UInt8(truncatingIfNeeded: next)]])
            XCTAssertEqual(queue.read(), [UInt8(truncatingIfNeeded: expected)])
            expected += 1
            if next % 1000 == 0 { XCTAssertLessThanOrEqual(queue.storedCount, 200, "after \(next) writes") }
        }
        XCTAssertEqual(queue.costConsumed, Int64(expected))
    }
}
