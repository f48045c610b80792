import Fragments

/// Holds events until the fragment containing their frame is stored, then releases them in the
/// order they were detected (a MOTION_END never overtakes its MOTION_START). The analyser runs
/// behind ingest and the fragment of a frame closes only at a later key frame, so an event often
/// waits a fragment's duration.
struct FragmentResolver {
    private var recent: [(number: FragmentNumber, start: Int64, end: Int64)] = []
    private var pending: [AnalysisEvent] = []
    static let remembered = 64

    var pendingCount: Int { pending.count }

    /// Adds an event; returns the events that can be published now, in order.
    mutating func add(_ event: AnalysisEvent) -> [AnalysisEvent] {
        pending.append(event)
        return release()
    }

    /// Notes a stored fragment; returns the events it resolves (and those queued behind them).
    mutating func stored(_ fragment: FragmentRecord) -> [AnalysisEvent] {
        recent.append((fragment.number, fragment.producerStart, fragment.producerStart + max(fragment.duration, 1)))
        if recent.count > Self.remembered { recent.removeFirst(recent.count - Self.remembered) }
        return release()
    }

    /// Everything still waiting, resolved where possible (the end of the session).
    mutating func flush() -> [AnalysisEvent] {
        var out = release()
        for var event in pending {
            event.fragmentNumber = number(at: event.producerTime).map(String.init)
            out.append(event)
        }
        pending = []
        return out
    }

    private mutating func release() -> [AnalysisEvent] {
        var out: [AnalysisEvent] = []
        while var event = pending.first {
            if let number = number(at: event.producerTime) {
                event.fragmentNumber = String(number)
            } else if let last = recent.last, event.producerTime < last.start {
                // Older than the fragments remembered or before the first one: nothing will resolve it.
                event.fragmentNumber = nil
            } else {
                break
            }
            pending.removeFirst()
            out.append(event)
        }
        return out
    }

    private func number(at time: Int64) -> FragmentNumber? {
        recent.last { $0.start <= time && time < $0.end }?.number
    }
}
