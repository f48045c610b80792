/// The names AWS gives streams, in both Kinesis services: `[a-zA-Z0-9_.-]`, up to a length that
/// each service sets (256 for video streams, 128 for data streams).
public enum ResourceName {
    public static func isValid(_ name: String, maxLength: Int) -> Bool {
        guard (1...maxLength).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x5F || c == 0x2E || c == 0x2D
        }
    }
}
