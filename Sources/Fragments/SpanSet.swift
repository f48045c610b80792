import Foundation

/// Time spans (event spans with their padding) merged into sorted, disjoint ranges, so that
/// asking whether a fragment meets any of them is a binary search, not a scan of every span.
struct SpanSet {
    private(set) var ranges: [Range<Int64>] = []

    init(_ spans: [Range<Int64>]) {
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
            if let last = ranges.last, span.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                ranges.append(span)
            }
        }
    }

    /// Whether `span` overlaps one of the ranges.
    func meets(_ span: Range<Int64>) -> Bool {
        // The first range ending after the span starts; it meets the span if it starts before its end.
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= span.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].lowerBound < span.upperBound
    }
}

/// How far each stream's fragments have been judged by event-aware thinning, so that a sweep
/// reads only fragments it has not judged yet (a kept fragment stays kept; new events never
/// reach back past `all`). A changed retention setting judges everything again.
final class ThinningProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var judged: [Int64: (setting: String, through: Int64)] = [:]

    func judgedThrough(streamID: Int64, setting: String) -> Int64 {
        lock.withLock {
            guard let entry = judged[streamID], entry.setting == setting else { return 0 }
            return entry.through
        }
    }

    func record(streamID: Int64, setting: String, through number: Int64) {
        lock.withLock { judged[streamID] = (setting, number) }
    }
}
