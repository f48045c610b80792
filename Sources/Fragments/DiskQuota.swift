import Foundation

/// How much disk the archive may take: a size (`500G`), a share of the data volume (`40%`), or by
/// default whatever leaves 5 % of the volume free. The strictest of this and each stream's own
/// retention wins, since both only ever delete.
public enum DiskQuota: Sendable, Equatable {
    case bytes(Int64)
    case percentOfVolume(Double)
    case keepFreePercent(Double)

    public static let standard = DiskQuota.keepFreePercent(5)

    /// `500G`, `1.5T`, `300M`, `2048K`, `123456` (bytes; powers of 1024, an optional trailing `B`),
    /// or `1`–`100%`. Nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard !trimmed.isEmpty, trimmed.count <= 32 else { return nil }
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast()), percent.isFinite, percent > 0, percent <= 100 else { return nil }
            self = .percentOfVolume(percent)
            return
        }
        var number = Substring(trimmed)
        if number.hasSuffix("B") { number = number.dropLast() }
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40, "P": 0x1p50]
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0,
              let bytes = Int64(exactly: (value * scale).rounded(.down)), bytes > 0 else { return nil }
        self = .bytes(bytes)
    }

    /// How many bytes of the archive must go now (0 when within the quota).
    public func excess(archiveBytes: Int64, volumeTotal: Int64, volumeFree: Int64) -> Int64 {
        switch self {
        case .bytes(let limit):
            return max(0, archiveBytes - limit)
        case .percentOfVolume(let percent):
            return max(0, archiveBytes - Int64(Double(volumeTotal) * percent / 100))
        case .keepFreePercent(let percent):
            // Only the archive can give space back: never ask for more than it holds.
            return min(archiveBytes, max(0, Int64(Double(volumeTotal) * percent / 100) - volumeFree))
        }
    }
}
