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
}
