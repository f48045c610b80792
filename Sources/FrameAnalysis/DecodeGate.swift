import Media

/// Decides, from coded picture sizes alone, which groups of pictures (GOPs) need decoding. Pure:
/// sizes in, decisions out; `AnalysisPipeline` does the decoding.
///
/// A fixed camera's quiet pictures code to nearly the same size; something moving, a light, a
/// cut makes them larger. The gate learns each stream's quiet sizes (separately for the picture
/// after a key frame, other reference pictures and non-reference ones, which code differently)
/// from GOPs the detectors found quiet: the median and spread of the mean of three neighbouring
/// pictures. A GOP opens when that mean rises 2.5 spreads above its quiet median (how far that
/// is follows each stream's own noise), or one picture is `spikeRatio` times the quiet median.
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
        init(spreads: Double = 2.5, spikeRatio: Double = 3) {
            self.spreads = spreads
            self.spikeRatio = spikeRatio
        }

        /// Quiet GOPs seen before gating starts.
        var learningGOPs = 3
        /// Gating only while quiet reference pictures are at most this share of a key frame
        /// (entered below `enterShare`, left above `leaveShare`).
        var enterShare = 0.08
        var leaveShare = 0.10
        /// Gating only while quiet window means stay within this spread (1.4826 × MAD) of their
        /// median, as a share of it: a rate control that swings the sizes of still pictures (an
        /// unpadded constant bitrate: 0.6, against 0.16 for a capped variable bitrate with
        /// sensor noise) hides any motion in them.
        var enterSpread = 0.35
        var leaveSpread = 0.45
        /// Pictures averaged, and how many spreads (1.4826 × median absolute deviation) above
        /// the quiet median their mean must rise; one picture `spikeRatio` times the quiet
        /// median opens the GOP at once (a cut).
        var window = 3
        var spreads: Double
        var spikeRatio: Double
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
    /// The last picture's window of sizes was as small as quiet ones (false while the window is
    /// not full yet, or the picture was a spike).
    private(set) var lastWindowQuiet = false
    let configuration: Configuration

    private var quietGOPs = 0
    private var keySizes = RecentValues(capacity: 31)
    /// Quiet sizes per class: 0 the picture after a key frame, 1 other references, 2 non-references.
    private var quiet = [RecentValues](repeating: RecentValues(capacity: 241), count: 3)
    /// Quiet means of `window` neighbouring pictures per class.
    private var quietMeans = [RecentValues](repeating: RecentValues(capacity: 241), count: 3)
    /// This GOP's sizes and window means per class, learned if the GOP turns out quiet.
    private var pending = [[Double]](repeating: [], count: 3)
    private var pendingMeans = [[Double]](repeating: [], count: 3)
    /// Thresholds from the quiet values, updated once per GOP rather than per picture.
    private var quietMedians = [Double?](repeating: nil, count: 3)
    private var meanLimits = [Double?](repeating: nil, count: 3)
    private var meanSpreads = [Double?](repeating: nil, count: 3)
    private var recent = [[Double]](repeating: [], count: 3)
    private var positionInGOP = 0
    /// Filler data in this GOP: the encoder pads to a constant bitrate.
    private var fillerSeen = false
    private var gopsSinceFiller = Int.max
    /// The GOP's pictures turned out to hide a change: their sizes are not quiet ones.
    private var discardPending = false
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
        discardPending = false
        positionInGOP = 0
        pending = [[], [], []]
        pendingMeans = [[], [], []]
        recent = [[], [], []]
    }

    /// A picture after the key frame. Returns true when it looks unlike the quiet pictures.
    mutating func picture(_ summary: CodedPictureSummary) -> Bool {
        positionInGOP += 1
        // Padding: the encoder holds its rate, and its buffer, not the picture, sets the sizes —
        // and the quantisers: a person crossing a 720p CBR stream showed in neither (measured
        // with a slice-header reader, which in VBR streams only added noise, so none is used).
        if summary.fillerBytes > 0 { fillerSeen = true }
        let kind = positionInGOP == 1 ? 0 : (summary.isReference ? 1 : 2)
        let size = Double(summary.sliceBytes)
        pending[kind].append(size)
        recent[kind].append(size)
        if recent[kind].count > configuration.window { recent[kind].removeFirst() }
        var mean: Double?
        if recent[kind].count == configuration.window {
            mean = recent[kind].reduce(0, +) / Double(configuration.window)
            pendingMeans[kind].append(mean!)
        }
        lastWindowQuiet = false
        guard let median = quietMedians[kind] else { return true }
        if size > median * configuration.spikeRatio + configuration.slackBytes { return true }
        guard let mean, let limit = meanLimits[kind] else { return false }
        lastWindowQuiet = mean <= limit
        return mean > limit
    }

    /// A key frame showed a change that the sizes of the undecoded pictures before it had not.
    mutating func missed() {
        missedChanges += 1
        gatedGOPs = Array((gatedGOPs + [true]).suffix(configuration.missWindow))
        discardPending = true
        decide()
    }

    /// A GOP ends. `busy`: the detectors saw something in it (its sizes are not learned).
    mutating func endGOP(busy: Bool) {
        if state == .gating { gatedGOPs = Array((gatedGOPs + [false]).suffix(configuration.missWindow)) }
        gopsSinceFiller = fillerSeen ? 0 : min(gopsSinceFiller, 1_000) + 1
        fillerSeen = false
        if !busy && !discardPending {
            quietGOPs += 1
            for kind in 0..<3 {
                for size in pending[kind] { quiet[kind].add(size) }
                for mean in pendingMeans[kind] { quietMeans[kind].add(mean) }
                quietMedians[kind] = quiet[kind].median
                if let median = quietMeans[kind].median {
                    let spread = 1.4826 * quietMeans[kind].medianDeviation(from: median)
                    meanSpreads[kind] = median > 0 ? spread / median : 0
                    meanLimits[kind] = median + configuration.spreads * spread + configuration.slackBytes
                }
            }
        }
        if penaltyLeft > 0 { penaltyLeft -= 1 } else { decide() }
    }

    private mutating func decide() {
        guard penaltyLeft == 0 else { return }
        if gatedGOPs.filter({ $0 }).count >= configuration.missLimit {
            state = .decodingAll
            reason = "key frames showed \(configuration.missLimit) changes the coded sizes did not; decoding every frame for a while"
            // The GOP in which this happens ends after it and does not count.
            penaltyLeft = configuration.missPenaltyGOPs + 1
            gatedGOPs = []
            return
        }
        // Filler data in the last 30 GOPs: the rate control, not the picture, sets the sizes.
        if gopsSinceFiller < 30 {
            state = .decodingAll
            reason = "constant bitrate (the encoder pads with filler data): sizes cannot show motion"
            return
        }
        guard quietGOPs >= configuration.learningGOPs, let key = keySizes.median, key > 0 else {
            if state != .learning { state = .learning; reason = "learning the stream's quiet picture sizes" }
            return
        }
        let reference = quietMedians[1] ?? quietMedians[0] ?? key
        let share = reference / key
        let limit = state == .gating ? configuration.leaveShare : configuration.enterShare
        let spread = meanSpreads[1] ?? meanSpreads[0] ?? 0
        let spreadLimit = state == .gating ? configuration.leaveSpread : configuration.enterSpread
        if share > limit {
            state = .decodingAll
            reason = "quiet pictures cost \(Int((share * 100).rounded())) % of a key frame (constant bitrate or heavy noise): sizes cannot show motion"
        } else if spread > spreadLimit {
            state = .decodingAll
            reason = "quiet pictures' sizes swing by \(Int((spread * 100).rounded())) % (the encoder's rate control, e.g. a constant bitrate, sets them): sizes cannot show motion"
        } else {
            state = .gating
            reason = nil
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

    /// The median absolute deviation from `center`.
    func medianDeviation(from center: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let deviations = values.map { abs($0 - center) }.sorted()
        return deviations[deviations.count / 2]
    }
}
