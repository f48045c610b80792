import XCTest
@testable import DataStreams

final class RoutingTests: XCTestCase {
    func testPartitionKeysHashLikeKinesis() {
        // Values from Python: int.from_bytes(hashlib.md5(key).digest(), "big")
        XCTAssertEqual(String(HashKey.of(partitionKey: "a")), "16955237001963240173058271559858726497")
        XCTAssertEqual(String(HashKey.of(partitionKey: "cam1")), "228995963956122927231403965178149626860")
    }

    func testInitialRangesCoverTheKeySpaceWithoutGaps() {
        for count in [1, 2, 3, 4, 7] {
            let ranges = HashKey.initialRanges(count: count)
            XCTAssertEqual(ranges.count, count)
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            XCTAssertEqual(ranges.last?.upperBound, UInt128.max)
            for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound + 1, b.lowerBound) }
        }
        // AWS boundaries for 2 shards: 2^127.
        XCTAssertEqual(String(HashKey.initialRanges(count: 2)[1].lowerBound), "170141183460469231731687303715884105728")
        XCTAssertEqual(String(HashKey.initialRanges(count: 3)[1].lowerBound), "113427455640312821154458202477256070485")
    }

    func testSequenceNumbersOrderAsStringsAndNumbers() {
        let a = SequenceNumber.format(shard: 1, counter: 9)
        let b = SequenceNumber.format(shard: 1, counter: 10)
        XCTAssertLessThan(a, b)
        XCTAssertEqual(a.count, b.count)
        XCTAssertEqual(SequenceNumber.format(shard: 3, counter: 42), "49000003" + "00000000000000000042")
        XCTAssertEqual(SequenceNumber.format(shard: 0, counter: Int64.max), "49000000" + "09223372036854775807")
        XCTAssertEqual(SequenceNumber.parse(b)?.counter, 10)
        XCTAssertEqual(SequenceNumber.parse(b)?.shard, 1)
        XCTAssertNil(SequenceNumber.parse("123"))
        XCTAssertNil(SequenceNumber.parse("4900000100000000000000000x10"))
    }

    func testShardIteratorsAreSignedAndTamperProof() {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        let iterator = ShardIterator(streamID: 3, streamCreatedAt: 1000, shard: 1, nextCounter: 42, issuedAt: 5000)
        let text = iterator.encode(secret: secret)
        XCTAssertLessThanOrEqual(text.count, 512)
        XCTAssertEqual(ShardIterator.decode(text, secret: secret), iterator)
        XCTAssertNil(ShardIterator.decode(text, secret: Array("another secret, 32 bytes long!!!".utf8)))
        var tampered = Array(text)
        tampered[3] = tampered[3] == "A" ? "B" : "A"
        XCTAssertNil(ShardIterator.decode(String(tampered), secret: secret))
        XCTAssertNil(ShardIterator.decode("bogus", secret: secret))
    }
}
