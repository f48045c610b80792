import Foundation
import Fragments

/// Deleting a stream the way every API does it: a pulled camera is stopped first (its session ends
/// within a few seconds), a stream still receiving a push is refused, then the store drops its
/// rows and files. Blocks (it waits for the pull to end): call it off the event loops.
public struct StreamDeletion: Sendable {
    public enum Outcome: Sendable, Equatable {
        case deleted
        case notFound
        /// A push is arriving; the caller should stop it first.
        case receiving
    }

    let ingest: IngestService
    let pulls: PullService

    public init(ingest: IngestService, pulls: PullService) {
        self.ingest = ingest
        self.pulls = pulls
    }

    public func delete(_ name: String) throws -> Outcome {
        if pulls.status(of: name) != nil {
            pulls.stop(name)
            for _ in 0..<100 where ingest.isIngesting(name) { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard !ingest.isIngesting(name) else { return .receiving }
        return try ingest.store.deleteStream(named: name) ? .deleted : .notFound
    }
}
