import Media

/// Decides, from coded picture sizes alone, which groups of pictures (GOPs) need decoding. Pure:
/// sizes in, decisions out; `AnalysisPipeline` does the decoding.
///
/// A fixed camera's quiet pictures code to nearly the same size; something moving, a light, a
/// cut makes them larger. The gate learns each stream's quiet sizes (separately for the picture
/// after a key frame, other reference pictures and non-reference ones, which code differently)
/// from GOPs the detectors found quiet, and opens a GOP when recent pictures outgrow them.
///
/// It fails safe: when quiet pictures are not small against a key frame (a constant-bitrate
/// encoder spends its budget whatever happens; heavy noise fills the pictures), sizes carry no
/// signal and everything is decoded; so too, for a while, when key frames keep showing changes
/// that the sizes did not.
struct DecodeGate: Sendable {
    enum State: String, Sendable, Codable {
        /// Decoding everything while the stream's quiet sizes are learned.
        case learning
        /// Decoding key frames, and whole GOPs that look different.
        case gating
        /// Decoding everything: the sizes cannot be trusted for this stream (see `reason`).
        case decodingAll = "decoding-all"
    }

    struct Configuration: Sendable {
        /// Quiet GOPs seen before gating starts.
        var learningGOPs = 3
        /// Gating only while quiet reference pictures are at most this share of a key frame
        /// (entered below `enterShare`, left above `leaveShare`).
        var enterShare = 0.08
        var leaveShare = 0.10
        /// A GOP opens when the last two pictures of a class average this much above its quiet
        /// median, or one picture is `spikeRatio` times it.
        var triggerRatio = 1.35
        var spikeRatio = 2.5
        /// Bytes added to the thresholds so tiny pictures (tens of bytes) do not trigger on noise.
        var slackBytes = 24.0
        /// Changes the sizes missed (found by a key frame) among the last `missWindow` gated GOPs
        /// that make the gate decode everything for `missPenaltyGOPs`.
        var missLimit = 3
        var missWindow = 20
        var missPenaltyGOPs = 150
    }

    private(set) var state = State.learning
    private(set) var reason: String? = "learning the stream's quiet picture sizes"
    private(set) var missedChanges = 0
    let configuration: Configuration

    private var quietGOPs = 0
    private var keySizes = RecentValues(capacity: 31)
    /// Quiet sizes per class: 0 the picture after a key frame, 1 other references, 2 non-references.
    private var quiet = [RecentValues](repeating: RecentValues(capacity: 241), count: 3)
    /// This GOP's sizes per class, learned if the GOP turns out quiet.
    private var pending = [[Double]](repeating: [], count: 3)
    /// `quiet`'s medians, updated once per GOP rather than per picture.
    private var quietMedians = [Double?](repeating: nil, count: 3)
    private var lastTwo = [[Double]](repeating: [], count: 3)
    private var positionInGOP = 0
    private var gatedGOPs: [Bool] = []
    private var penaltyLeft = 0

    init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Whether GOPs may be left undecoded now.
    var isGating: Bool { state == .gating }

    /// A key frame starts a GOP.
    mutating func keyFrame(sliceBytes: Int) {
        keySizes.add(Double(sliceBytes))
        positionInGOP = 0
        pending = [[], [], []]
        lastTwo = [[], [], []]
    }

    /// A picture after the key frame. Returns true when it looks unlike the quiet pictures.
    mutating func picture(_ summary: CodedPictureSummary) -> Bool {
        positionInGOP += 1
        let kind = positionInGOP == 1 ? 0 : (summary.isReference ? 1 : 2)
        let size = Double(summary.sliceBytes)
        pending[kind].append(size)
        lastTwo[kind] = Array((lastTwo[kind] + [size]).suffix(2))
        guard let median = quietMedians[kind] else { return true }
        let mean = lastTwo[kind].reduce(0, +) / Double(lastTwo[kind].count)
        return mean > median * configuration.triggerRatio + configuration.slackBytes
            || size > median * configuration.spikeRatio + configuration.slackBytes
    }

    /// A GOP is settled. `busy`: the detectors saw something in it (its sizes are not learned).
    /// `missed`: it was left undecoded, and the next key frame showed a change.
    mutating func endGOP(busy: Bool, missed: Bool) {
        if state == .gating || missed { gatedGOPs = Array((gatedGOPs + [missed]).suffix(configuration.missWindow)) }
        if missed { missedChanges += 1 }
        if !busy && !missed {
            quietGOPs += 1
            for kind in 0..<3 {
                for size in pending[kind] { quiet[kind].add(size) }
                quietMedians[kind] = quiet[kind].median
            }
        }
        decide()
    }

    private mutating func decide() {
        if penaltyLeft > 0 {
            penaltyLeft -= 1
            return
        }
        if gatedGOPs.filter({ $0 }).count >= configuration.missLimit {
            state = .decodingAll
            reason = "key frames showed \(configuration.missLimit) changes the coded sizes did not; decoding every frame for a while"
            penaltyLeft = configuration.missPenaltyGOPs
            gatedGOPs = []
            return
        }
        guard quietGOPs >= configuration.learningGOPs, let key = keySizes.median, key > 0 else {
            if state != .learning { state = .learning; reason = "learning the stream's quiet picture sizes" }
            return
        }
        let reference = quietMedians[1] ?? quietMedians[0] ?? key
        let share = reference / key
        let limit = state == .gating ? configuration.leaveShare : configuration.enterShare
        if share <= limit {
            state = .gating
            reason = nil
        } else {
            state = .decodingAll
            reason = "quiet pictures cost \(Int((share * 100).rounded())) % of a key frame (constant bitrate or heavy noise): sizes cannot show motion"
        }
    }
}

/// The last `capacity` values of a series and their median.
struct RecentValues: Sendable {
    let capacity: Int
    private var values: [Double] = []
    private var next = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func add(_ value: Double) {
        if values.count < capacity { values.append(value) } else { values[next] = value }
        next = (next + 1) % capacity
    }

    var median: Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
