import Foundation
import Logging
import TestSupport
import XCTest
@testable import Fragments

/// Many pushes storing at once: their index rows commit in shared transactions, and still every
/// fragment gets its own number, each stream's ordinals count 1, 2, 3… and a row whose stream
/// went away fails alone.
final class ConcurrentAppendTests: XCTestCase {
    func testConcurrentPushesShareCommitsAndKeepTheirNumbering() throws {
        let temporary = TemporaryDirectory("concurrent-append")
        defer { temporary.remove() }
        var logger = Logger(label: "concurrent")
        logger.logLevel = .critical
        let store = try FragmentStore(directory: temporary.path, logger: logger)
        let streams = try (0..<8).map { try store.createStream(named: "s\($0)", now: 1).stream }
        let inits = try streams.map { try store.addInitSegment(streamID: $0.id, bytes: [1], tracks: [], now: 1) }
        let perStream = 25
        let collected = Collected()
        DispatchQueue.concurrentPerform(iterations: streams.count) { index in
            for i in 0..<perStream {
                do {
                    let record = try store.append(streamID: streams[index].id, initID: inits[index], fragment: NewFragment(
                        producerStart: Int64(i) * 2_000_000, serverStart: Int64(i) * 2_000_000, duration: 2_000_000,
                        discontinuity: false, bytes: [UInt8](repeating: UInt8(index), count: 100 + i)))
                    collected.lock.withLock { collected.stored[streams[index].id, default: []].append(record) }
                } catch {
                    collected.lock.withLock { collected.failures.append("\(error)") }
                }
            }
        }
        let (stored, failures) = (collected.stored, collected.failures)
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        let all = stored.values.flatMap { $0 }
        XCTAssertEqual(Set(all.map(\.number)).count, streams.count * perStream, "numbers are unique")
        for (index, stream) in streams.enumerated() {
            let records = stored[stream.id] ?? []
            XCTAssertEqual(records.map(\.ordinal), (1...perStream).map(Int64.init), "stream \(index)'s ordinals")
            for record in records {
                XCTAssertEqual(try store.fragment(number: record.number)?.ordinal, record.ordinal)
                XCTAssertEqual(try store.bytes(of: record), [UInt8](repeating: UInt8(index), count: Int(record.size)))
            }
        }
        XCTAssertLessThanOrEqual(store.rowCommits.commits, streams.count * perStream)
        print("concurrent appends: \(streams.count * perStream) rows in \(store.rowCommits.commits) commits")

        // A row for a stream deleted meanwhile fails on its own; the batch's other rows stand.
        XCTAssertThrowsError(try store.append(streamID: 9999, initID: inits[0], fragment: NewFragment(
            producerStart: 0, serverStart: 0, duration: 1, discontinuity: false, bytes: [1])))
        XCTAssertNotNil(try store.append(streamID: streams[0].id, initID: inits[0], fragment: NewFragment(
            producerStart: 99_000_000, serverStart: 99_000_000, duration: 1, discontinuity: false, bytes: [1])))
    }
}

/// What the concurrent appenders report, behind a lock.
private final class Collected: @unchecked Sendable {
    let lock = NSLock()
    var stored: [Int64: [FragmentRecord]] = [:]
    var failures: [String] = []
}
