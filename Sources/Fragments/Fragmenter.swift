import Primitives

/// Decides fragment boundaries for one ingest session, from packet timing alone.
///
/// A fragment starts at a video key frame (any packet when the session has no video) and is
/// closed at the first key frame at or after `targetDuration` — or, for a producer that cuts its
/// own fragments, at the first key frame of its next fragment. A group of pictures longer than
/// `maxDuration` is cut at the cap; packets up to the next key frame cannot start a playable
/// fragment, so they are dropped and the next fragment is marked as a discontinuity.
/// All times are microseconds; timestamps are repaired per track (see `TrackClock`).
public struct Fragmenter: Sendable {
    public struct Configuration: Sendable {
        public var targetDuration: Int64
        public var maxDuration: Int64
        public var jumpThreshold: Int64

        public init(targetDuration: Int64 = 2_000_000, maxDuration: Int64 = 10_000_000, jumpThreshold: Int64 = 5_000_000) {
            self.targetDuration = targetDuration
            self.maxDuration = max(maxDuration, targetDuration)
            self.jumpThreshold = jumpThreshold
        }
    }

    public struct Input: Sendable {
        public var track: Int
        public var isVideo: Bool
        public var isKeyFrame: Bool
        public var dts: Int64?
        public var pts: Int64?
        public var duration: Int64
        /// One unit of the track's time base in microseconds: the smallest step a repair may make.
        public var tick: Int64
        /// For a video packet of a producer that cuts its own fragments (PutMedia): whether it
        /// begins one of them. Nil: the duration target decides.
        public var producerBoundary: ProducerBoundary?

        public init(track: Int, isVideo: Bool, isKeyFrame: Bool, dts: Int64?, pts: Int64?, duration: Int64, tick: Int64 = 1,
                    producerBoundary: ProducerBoundary? = nil) {
            self.producerBoundary = producerBoundary
            self.track = track
            self.isVideo = isVideo
            self.isKeyFrame = isKeyFrame
            self.dts = dts
            self.pts = pts
            self.duration = duration
            self.tick = tick
        }
    }

    /// Where a packet stands to the producer's own fragments.
    public enum ProducerBoundary: Sendable {
        /// The first video packet of a producer fragment: a key frame here closes the open fragment.
        case starts
        /// Inside a producer fragment: never a cut (except at `maxDuration`).
        case inside
    }

    public enum Action: Equatable, Sendable {
        /// Write the packet into the open fragment.
        case append
        /// Write the packet as the first of a new fragment.
        case startFragment
        /// Do not store the packet (before the first key frame, or after a cap cut).
        case drop
    }

    /// A finished fragment's place on the session's timeline.
    public struct Span: Equatable, Sendable {
        /// Presentation time of the first key frame, relative to the session's first key frame.
        public var start: Int64
        public var duration: Int64
        public var discontinuity: Bool
    }

    public struct Placement: Equatable, Sendable {
        public var action: Action
        /// Repaired decode and presentation times for the packet, in the input's timeline.
        public var dts: Int64
        public var pts: Int64
        /// The packet's duration: as given, else the track's last measured frame step.
        public var duration: Int64
        /// The fragment closed by this packet, to be flushed before the packet is written.
        public var closed: Span?
    }

    private struct OpenFragment {
        var start: Int64
        var end: Int64
        var discontinuity: Bool
    }

    public let configuration: Configuration
    public let hasVideo: Bool
    private var clocks: [Int: TrackClock] = [:]
    private var open: OpenFragment?
    /// Presentation time of the first key frame: where the session's producer timeline starts.
    public private(set) var origin: Int64?
    private var pendingDiscontinuity = false
    public private(set) var droppedPackets = 0
    public private(set) var discontinuities = 0

    /// Marks the next fragment as following a gap (a pulled camera reconnected).
    public mutating func markDiscontinuity() {
        pendingDiscontinuity = true
    }

    public init(configuration: Configuration, hasVideo: Bool) {
        self.configuration = configuration
        self.hasVideo = hasVideo
    }

    public mutating func place(_ unchecked: Input) -> Placement {
        let input = bounded(unchecked)
        var clock = clocks[input.track] ?? TrackClock(jumpThreshold: configuration.jumpThreshold)
        let repaired = clock.repair(dts: input.dts, pts: input.pts, duration: input.duration, tick: input.tick)
        clocks[input.track] = clock
        if repaired.discontinuity {
            discontinuities += 1
            pendingDiscontinuity = true
        }
        let duration = input.duration > 0 ? input.duration : clock.step
        let drivesTimeline = input.isVideo || !hasVideo
        let canStart = drivesTimeline && (input.isKeyFrame || !input.isVideo)
        let end = repaired.pts + duration
        var placement = Placement(action: .append, dts: repaired.dts, pts: repaired.pts, duration: duration, closed: nil)

        guard var fragment = open else {
            if canStart {
                origin = origin ?? repaired.pts
                open = OpenFragment(start: repaired.pts, end: end, discontinuity: pendingDiscontinuity)
                pendingDiscontinuity = false
                placement.action = .startFragment
            } else {
                droppedPackets += 1
                placement.action = .drop
            }
            return placement
        }

        let elapsed = repaired.pts - fragment.start
        let cutsHere = switch input.producerBoundary {
        case nil: elapsed >= configuration.targetDuration
        case .starts: elapsed > 0
        case .inside: false
        }
        if canStart && cutsHere {
            placement.closed = span(of: fragment, endingAt: repaired.pts)
            open = OpenFragment(start: repaired.pts, end: end, discontinuity: pendingDiscontinuity)
            pendingDiscontinuity = false
            placement.action = .startFragment
            return placement
        }
        if drivesTimeline && elapsed >= configuration.maxDuration {
            placement.closed = span(of: fragment, endingAt: repaired.pts)
            open = nil
            pendingDiscontinuity = true
            droppedPackets += 1
            placement.action = .drop
            return placement
        }
        if drivesTimeline { fragment.end = max(fragment.end, end) }
        open = fragment
        return placement
    }

    /// Timing as the container gave it, made safe to compute with: a time outside
    /// `Timestamp.validRange` is treated as missing (and inferred, like any missing time), as is
    /// a presentation time further from its decode time than a jump; a duration or tick is kept
    /// within 0…`maxDuration` (no packet lasts longer than a fragment).
    private func bounded(_ input: Input) -> Input {
        var input = input
        if let dts = input.dts, !Timestamp.validRange.contains(dts) { input.dts = nil }
        if let pts = input.pts, !Timestamp.validRange.contains(pts) { input.pts = nil }
        // A presentation time seconds away from its decode time is not reordering but garbage.
        if let dts = input.dts, let pts = input.pts, abs(pts - dts) > configuration.jumpThreshold { input.pts = dts }
        input.duration = min(max(input.duration, 0), configuration.maxDuration)
        input.tick = min(max(input.tick, 1), configuration.maxDuration)
        return input
    }

    /// Closes the open fragment at end of input.
    public mutating func finish() -> Span? {
        guard let fragment = open else { return nil }
        open = nil
        return span(of: fragment, endingAt: fragment.end)
    }

    private func span(of fragment: OpenFragment, endingAt end: Int64) -> Span {
        Span(start: fragment.start - (origin ?? 0), duration: max(end - fragment.start, 0),
             discontinuity: fragment.discontinuity)
    }
}
