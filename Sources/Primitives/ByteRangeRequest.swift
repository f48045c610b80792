/// An HTTP `Range` header (RFC 9110 §14.2) against a representation of `length` bytes. One
/// range is served; a header asking for several, or not understood, is ignored (the whole
/// representation is sent), as the RFC allows.
public enum ByteRangeRequest: Equatable, Sendable {
    case whole
    case part(Range<Int>)
    /// No requested byte exists: answer 416 with `Content-Range: bytes */length`.
    case unsatisfiable

    public init(header: String?, length: Int) {
        self = Self.parse(header, length: max(0, length)) ?? .whole
    }

    private static func parse(_ header: String?, length: Int) -> ByteRangeRequest? {
        guard let header, header.utf8.count <= 200, header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst("bytes=".count).filter { $0 != " " && $0 != "\t" }
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        switch (first.isEmpty, last.isEmpty) {
        case (true, true):
            return nil
        case (false, true):
            guard let start = number(first) else { return nil }
            return start < length ? .part(start..<length) : .unsatisfiable
        case (true, false):
            guard let suffix = number(last) else { return nil }
            return suffix == 0 || length == 0 ? .unsatisfiable : .part(max(0, length - suffix)..<length)
        case (false, false):
            guard let start = number(first), let end = number(last), start <= end else { return nil }
            return start < length ? .part(start..<(min(end, length - 1) + 1)) : .unsatisfiable
        }
    }

    /// Digits only; past 18 digits a position is beyond every file, so it is clamped there.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return text.utf8.count > 18 ? Int.max / 2 : Int(text)
    }
}
