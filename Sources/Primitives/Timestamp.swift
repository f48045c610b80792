import Foundation

/// Parses and prints timestamps: RFC 3339 (`2026-11-26T17:00:00.250Z`, any offset) or epoch
/// seconds with a fraction (`1795712400.25`). Inside the server a time is an `Int64` count of
/// microseconds since the epoch; this is the one place that turns it into text and back.
public enum Timestamp {
    /// The times videod accepts from outside: ±2^53 µs around 1970 (about 1685 to 2255). Sums and
    /// differences of a few such times never overflow an `Int64`, and each is exact as a `Double`.
    public static let validRange: ClosedRange<Int64> = -(1 << 53)...(1 << 53)

    /// Nil for text that is not a time, or a time outside `validRange`.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Decimal(string: trimmed), trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            let micros = seconds * 1_000_000
            // Checked as a Decimal first: converting an out-of-range Decimal gives garbage.
            guard micros >= Decimal(validRange.lowerBound), micros <= Decimal(validRange.upperBound) else { return nil }
            return Int64(truncating: micros as NSDecimalNumber)
        }
        return parseRFC3339(trimmed).flatMap { validRange.contains($0) ? $0 : nil }
    }

    /// Epoch seconds (as the AWS JSON protocols and the events carry them) in microseconds; nil
    /// for NaN, infinities and times outside `validRange`.
    public static func microseconds(fromSeconds seconds: Double) -> Int64? {
        guard seconds.isFinite, let micros = Int64(exactly: (seconds * 1_000_000).rounded()),
              validRange.contains(micros) else { return nil }
        return micros
    }

    private static func parseRFC3339(_ s: String) -> Int64? {
        let c = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var value = 0
            for b in c[from..<(from + count)] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard c.count >= 20, let year = number(0, 4), c[4] == 45, let month = number(5, 2), c[7] == 45,
              let day = number(8, 2), c[10] == 84 || c[10] == 116 || c[10] == 32,
              let hour = number(11, 2), c[13] == 58, let minute = number(14, 2), c[16] == 58,
              let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var micros = 0
        if i < c.count, c[i] == 46 {
            i += 1
            var digits = 0
            while i < c.count, c[i] >= 48 && c[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(c[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds = 0
        guard i < c.count else { return nil }
        if c[i] == 90 || c[i] == 122 {
            i += 1
        } else if c[i] == 43 || c[i] == 45, let oh = number(i + 1, 2), c.count > i + 3, c[i + 3] == 58,
                  let om = number(i + 4, 2) {
            offsetSeconds = (oh * 3600 + om * 60) * (c[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Epoch seconds with microsecond fraction, as the AWS APIs carry them.
    public static func seconds(_ micros: Int64) -> Double {
        Double(micros) / 1_000_000
    }

    /// `2026-11-26T17:00:00.250000Z`: always UTC, always six fraction digits.
    public static func rfc3339(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (year, month, day) = civilFromDays(Int(days))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", year, month, day, Int(secondOfDay / 3600),
                      Int(secondOfDay / 60 % 60), Int(secondOfDay % 60), Int(fraction))
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of `daysFromCivil`).
    private static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
