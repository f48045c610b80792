/// Which clock a timestamp query is about.
public enum TimestampKind: String, Sendable, CaseIterable {
    case producer, server
}
