import Fragments

/// Consecutive fragments that share one init segment (one codec configuration): what a single
/// fMP4 file, an HLS discontinuity span or one Matroska segment can hold.
public struct FragmentRun: Sendable, Equatable {
    public let initID: Int64
    public var fragments: [FragmentRecord]

    /// `fragments` (in time order) cut wherever the init segment changes.
    public static func split(_ fragments: [FragmentRecord]) -> [FragmentRun] {
        var runs: [FragmentRun] = []
        for fragment in fragments {
            if runs.last?.initID == fragment.initID {
                runs[runs.count - 1].fragments.append(fragment)
            } else {
                runs.append(FragmentRun(initID: fragment.initID, fragments: [fragment]))
            }
        }
        return runs
    }
}
