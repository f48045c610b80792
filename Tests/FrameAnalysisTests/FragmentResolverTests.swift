import Fragments
import XCTest
@testable import FrameAnalysis

final class FragmentResolverTests: XCTestCase {
    private func event(_ kind: AnalysisEvent.Kind, at time: Int64) -> AnalysisEvent {
        AnalysisEvent(kind: kind, streamName: "cam", producerTime: time, serverTime: time)
    }

    private func fragment(_ number: Int64, start: Int64, duration: Int64) -> FragmentRecord {
        FragmentRecord(number: number, streamID: 1, initID: 1, producerStart: start, serverStart: start,
                       duration: duration, size: 1, segment: "s", offset: 0, discontinuity: false)
    }

    func testEventsWaitForTheirFragmentAndKeepTheirOrder() {
        var resolver = FragmentResolver()
        XCTAssertEqual(resolver.add(event(.motionStart, at: 1_500_000)), [])
        XCTAssertEqual(resolver.add(event(.motionEnd, at: 2_500_000)), [])
        // The first fragment resolves the start only; the end waits for the next one.
        let first = resolver.stored(fragment(7, start: 0, duration: 2_000_000))
        XCTAssertEqual(first.map(\.kind), [.motionStart])
        XCTAssertEqual(first.first?.fragmentNumber, "7")
        let second = resolver.stored(fragment(8, start: 2_000_000, duration: 2_000_000))
        XCTAssertEqual(second.map(\.fragmentNumber), ["8"])
        XCTAssertEqual(resolver.pendingCount, 0)
    }

    func testALaterEventNeverOvertakesAnEarlierOne() {
        var resolver = FragmentResolver()
        _ = resolver.stored(fragment(1, start: 0, duration: 2_000_000))
        XCTAssertEqual(resolver.add(event(.motionStart, at: 3_000_000)), [], "its fragment is still open")
        // A scene change detected late for an instant in the stored fragment waits behind the start.
        XCTAssertEqual(resolver.add(event(.sceneChange, at: 1_000_000)), [])
        XCTAssertEqual(resolver.stored(fragment(2, start: 2_000_000, duration: 2_000_000)).map(\.kind), [.motionStart, .sceneChange])
    }

    func testFlushReleasesEverythingAtTheEnd() {
        var resolver = FragmentResolver()
        _ = resolver.stored(fragment(1, start: 0, duration: 2_000_000))
        _ = resolver.add(event(.motionStart, at: 5_000_000))
        let flushed = resolver.flush()
        XCTAssertEqual(flushed.count, 1)
        XCTAssertNil(flushed[0].fragmentNumber, "no stored fragment holds it")
    }
}
