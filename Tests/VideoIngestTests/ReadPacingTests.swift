import NIOCore
import NIOEmbedded
import XCTest
@testable import VideoIngest

/// Read pacing: media connections read in batches, request phases and fast streams do not wait.
final class ReadPacingTests: XCTestCase {
    /// Counts the reads that get past the pacing handler to the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    private func makeChannel(interval: TimeAmount?) throws -> (EmbeddedChannel, ReadCounter, EmbeddedEventLoop) {
        let loop = EmbeddedEventLoop()
        let counter = ReadCounter()
        let pacing = ReadPacingHandler()
        pacing.maxInterval = interval
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(pacing)
        return (channel, counter, loop)
    }

    func testReadsPassStraightThroughUntilPacingIsOn() throws {
        let (channel, counter, _) = try makeChannel(interval: nil)
        for _ in 0..<3 { channel.read() }
        XCTAssertEqual(counter.reads, 3)
    }

    func testAQuietStreamIsReadAtMostOnceAnIntervalAndReadsCoalesce() throws {
        let (channel, counter, loop) = try makeChannel(interval: .milliseconds(500))
        channel.read()
        XCTAssertEqual(counter.reads, 1, "the first read goes at once")
        try channel.writeInbound(ByteBuffer(bytes: [1, 2, 3]))
        channel.read()
        XCTAssertEqual(counter.reads, 1, "a read right after the last one waits")
        loop.advanceTime(by: ReadPacingHandler.firstInterval)
        XCTAssertEqual(counter.reads, 2, "the first wait is short: the rate is not known yet")
        try channel.writeInbound(ByteBuffer(bytes: [1, 2, 3]))
        channel.read()
        channel.read()
        loop.advanceTime(by: .milliseconds(499))
        XCTAssertEqual(counter.reads, 2, "a trickle waits the longest interval")
        loop.advanceTime(by: .milliseconds(1))
        XCTAssertEqual(counter.reads, 3, "both waiting reads became one")
    }

    func testAFastStreamIsReadWhenABatchHasGathered() throws {
        let (channel, counter, loop) = try makeChannel(interval: .seconds(1))
        channel.read()
        loop.advanceTime(by: ReadPacingHandler.firstInterval)
        // 100 ms brought two batches' worth: the next reads come every ~50 ms.
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 2 * ReadPacingHandler.batchBytes))
        channel.read()
        XCTAssertEqual(counter.reads, 2)
        channel.read()
        loop.advanceTime(by: .milliseconds(49))
        XCTAssertEqual(counter.reads, 2)
        loop.advanceTime(by: .milliseconds(1))
        XCTAssertEqual(counter.reads, 3, "read again after the time one batch takes to arrive")
    }

    func testTheWaitFollowsTheRateWithinTheCap() {
        let cap = TimeAmount.seconds(1)
        XCTAssertEqual(ReadPacingHandler.interval(bytes: 0, over: .seconds(1), max: cap), cap)
        XCTAssertEqual(ReadPacingHandler.interval(bytes: ReadPacingHandler.batchBytes / 10, over: .milliseconds(100), max: cap), cap)
        XCTAssertEqual(ReadPacingHandler.interval(bytes: ReadPacingHandler.batchBytes * 4, over: .milliseconds(400), max: cap),
                       .milliseconds(100))
    }
}
