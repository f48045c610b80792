import AWSProtocol
import Fragments
import Playback

/// GetMedia (`kinesis-video-media`) and GetMediaForFragmentList (`kinesis-video-archived-media`):
/// stored fragments as Matroska documents carrying KVS's tags. The routes stream them.
extension VideoStreamService {
    /// Checks a GetMedia request and places its start.
    public func beginGetMedia(_ a: RequestMembers) throws -> MediaSession {
        try wrapped {
            let stream = try resolveStream(a)
            guard let selector = try a.object("StartSelector") else {
                throw VideoStreamError.invalidArgument("GetMedia needs a StartSelector.")
            }
            let after = try MediaStart.after(selector, stream: stream, store: store)
            return MediaSession(stream: stream, after: after, store: store, clock: clock)
        }
    }

    /// Checks a GetMediaForFragmentList request: every fragment must be one of the stream's
    /// retained fragments (KVS answers ResourceNotFound otherwise). Returns them in the order asked.
    public func fragmentList(_ a: RequestMembers) throws -> ListedFragments {
        ListedFragments(records: try listedRecords(a), documents: FragmentDocuments(store: store))
    }

    func listedRecords(_ a: RequestMembers) throws -> [FragmentRecord] {
        try wrapped {
            let stream = try resolveStream(a)
            guard let numbers = try a.stringArray("Fragments"), (1...1000).contains(numbers.count) else {
                throw VideoStreamError.invalidArgument("Fragments must list 1 to 1000 fragment numbers.")
            }
            let parsed = try numbers.map { text in
                guard text.count <= 128, let number = FragmentNumber(text) else { throw Self.notAFragment(text, of: stream) }
                return number
            }
            return try zip(numbers, try store.fragments(streamID: stream.id, numbers: parsed)).map { text, fragment in
                guard let fragment else { throw Self.notAFragment(text, of: stream) }
                return fragment
            }
        }
    }

    static func notAFragment(_ text: String, of stream: StreamRecord) -> AWSError {
        VideoStreamError.notFound("Fragment \(text) is not a fragment of \(stream.name).")
    }

    /// Store failures as AWS errors (what `handle` does for the JSON operations).
    func wrapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AWSError {
            throw error
        } catch {
            throw AWSError.internalFailure("\(error)")
        }
    }
}
