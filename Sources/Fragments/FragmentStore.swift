import Foundation
import GRDB
import Logging
import Primitives

/// Fragments on disk: append-only segment files per stream plus a SQLite index (WAL).
///
/// Write order for each fragment: bytes, fsync, index row (committed with `synchronous=FULL`,
/// so a fragment reported stored survives a power loss). A fragment becomes visible to readers
/// only when its row commits, so a reader never sees a half-written fragment; at open, segment
/// bytes past the last indexed fragment (a torn tail from a crash) are cut off, and rows whose
/// bytes are gone are dropped (`StoreRecovery`).
public final class FragmentStore: @unchecked Sendable {
    public let directory: String
    let database: DatabasePool
    private let segmentsDirectory: String
    let writersLock = NSLock()
    /// Open segment files of streams being written (closed when their push ends).
    var writers: [Int64: SegmentFile] = [:]
    /// Appends' index rows, committed in groups.
    let rowCommits = GroupCommit<FragmentRecord, Result<(number: Int64, ordinal: Int64), any Error>>()
    /// How far event-aware thinning has judged each stream's fragments.
    let thinning = ThinningProgress()
    /// A segment file is closed and a new one started beyond this size.
    public var segmentLimit: Int64 = 256 << 20
    let logger: Logger
    /// Reads hide fragments past their stream's retention at once; `expire` removes them.
    public let retention: RetentionPolicy
    let clock: MicrosecondClock

    public init(directory: String, logger: Logger = Logger(label: "videod.store"), retention: RetentionPolicy = .init(),
                clock: @escaping MicrosecondClock = WallClock.now) throws {
        self.directory = directory
        self.logger = logger
        self.retention = retention
        self.clock = clock
        segmentsDirectory = directory + "/segments"
        try FileManager.default.createDirectory(atPath: segmentsDirectory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool(path: directory + "/index.sqlite", configuration: configuration)
        try FragmentIndex.migrator().migrate(database)
        try StoreRecovery(store: self).repair()
    }

    func segmentPath(_ relative: String) -> String { segmentsDirectory + "/" + relative }
    var segmentRoot: String { segmentsDirectory }

    // MARK: streams

    public func stream(named name: String) throws -> StreamRecord? {
        try database.read { db in try StreamQueries.stream(db, name: name) }
    }

    /// Returns the named stream, creating it when missing (with default attributes: it keeps
    /// everything).
    public func createStream(named name: String, now: Int64) throws -> (stream: StreamRecord, created: Bool) {
        try database.write { db in
            if let existing = try StreamQueries.stream(db, name: name) { return (existing, false) }
            return (try StreamCatalog.insert(db, name: name, now: now, attributes: StreamAttributes(), tags: [:]), true)
        }
    }

    public func listStreams() throws -> [StreamRecord] {
        try database.read { db in try StreamQueries.all(db) }
    }

    /// Where the stream's producer timeline ends (start + duration of its latest fragment).
    public func producerEnd(streamNamed name: String) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT f.producer_start + f.duration FROM fragments f JOIN streams s ON s.id = f.stream_id
                WHERE s.name = ? ORDER BY f.producer_start DESC LIMIT 1
                """, arguments: [name])
        }
    }

    public func statistics(streamID: Int64) throws -> StreamStatistics {
        try database.read { db in try StreamQueries.statistics(db, streamID: streamID) }
    }

    /// Removes a stream, its index rows and its segment files. Returns false if it did not exist.
    public func deleteStream(named name: String) throws -> Bool {
        guard let stream = try stream(named: name) else { return false }
        try database.write { db in
            try db.execute(sql: "DELETE FROM fragments WHERE stream_id = ?", arguments: [stream.id])
            try db.execute(sql: "DELETE FROM inits WHERE stream_id = ?", arguments: [stream.id])
            try db.execute(sql: "DELETE FROM streams WHERE id = ?", arguments: [stream.id])
        }
        writersLock.withLock { _ = writers.removeValue(forKey: stream.id) }
        try? FileManager.default.removeItem(atPath: segmentPath(String(stream.id)))
        return true
    }

    /// Removes a stream's fragments numbered within `numbers` from the index (a push whose body
    /// turned out not to be the one its signature covered). Their bytes stay in the segment file,
    /// unreferenced. Returns how many went.
    @discardableResult
    public func removeFragments(streamID: Int64, numbers: ClosedRange<FragmentNumber>) throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM fragments WHERE stream_id = ? AND number BETWEEN ? AND ?",
                           arguments: [streamID, numbers.lowerBound, numbers.upperBound])
            return db.changesCount
        }
    }

    // MARK: writing

    /// Stores an init segment and returns its id; a push whose codec configuration is the same
    /// as the stream's latest init segment reuses that one.
    public func addInitSegment(streamID: Int64, bytes: [UInt8], tracks: [TrackDescription], now: Int64) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(tracks), as: UTF8.self)
        return try database.write { db in
            if let latest = try Row.fetchOne(db, sql: "SELECT id, bytes FROM inits WHERE stream_id = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [streamID]),
               (latest["bytes"] as Data) == Data(bytes) {
                return latest["id"]
            }
            try db.execute(sql: "INSERT INTO inits (stream_id, bytes, tracks, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [streamID, Data(bytes), json, now])
            return db.lastInsertedRowID
        }
    }

    /// Appends a fragment: bytes, fsync, then the index row. Only one writer per stream at a time.
    public func append(streamID: Int64, initID: Int64, fragment: NewFragment) throws -> FragmentRecord {
        let file = try writer(for: streamID)
        let before = file.size
        let offset = try file.append(fragment.bytes)
        do {
            // Each push syncs its own file (in parallel with the others'; the filesystem's journal
            // groups them).
            try file.sync()
            file.dropCached(offset: offset, length: Int64(fragment.bytes.count))
            var record = FragmentRecord(number: 0, streamID: streamID, initID: initID,
                                        producerStart: fragment.producerStart, serverStart: fragment.serverStart,
                                        duration: fragment.duration, size: Int64(fragment.bytes.count),
                                        segment: file.relativePath, offset: offset, discontinuity: fragment.discontinuity)
            // Concurrent pushes' rows commit together: one WAL sync for the lot, not one each.
            (record.number, record.ordinal) = try rowCommits.submit(record) { batch in
                try database.write { db in batch.map { row in Result { try Self.insert(row, db) } } }
            }.get()
            return record
        } catch {
            file.truncate(to: before)
            throw error
        }
    }

    /// One fragment's row, inside a batch's transaction; its own savepoint, so that one failing
    /// row (its stream deleted meanwhile) does not take the batch's others with it.
    private static func insert(_ record: FragmentRecord, _ db: Database) throws -> (number: Int64, ordinal: Int64) {
        var inserted: (Int64, Int64) = (0, 0)
        try db.inSavepoint {
            let ordinal = try Int64.fetchOne(db.cachedStatement(sql: """
                UPDATE streams SET fragments_appended = fragments_appended + 1 WHERE id = ? RETURNING fragments_appended
                """), arguments: [record.streamID]) ?? 0
            try db.cachedStatement(sql: """
                INSERT INTO fragments (stream_id, init_id, producer_start, server_start, duration, size,
                                       segment, offset, discontinuity, ordinal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [record.streamID, record.initID, record.producerStart, record.serverStart, record.duration,
                                         record.size, record.segment, record.offset, record.discontinuity, ordinal])
            inserted = (db.lastInsertedRowID, ordinal)
            return .commit
        }
        return inserted
    }

    /// Closes the stream's open segment file (its push ended); the next push appends to the same
    /// file while it is under `segmentLimit`. Keeps the number of open files to the live streams.
    public func closeWriter(streamID: Int64) {
        writersLock.withLock { _ = writers.removeValue(forKey: streamID) }
    }

    /// The stream's segment file to append to: the open one, else its latest segment while under
    /// the limit, else a new one (made durable in its directory before any fragment goes in).
    private func writer(for streamID: Int64) throws -> SegmentFile {
        try writersLock.withLock {
            if let file = writers[streamID], file.size < segmentLimit { return file }
            if writers[streamID] == nil, let latest = try latestSegment(streamID: streamID),
               let file = try? SegmentFile(path: segmentPath(latest), relativePath: latest, create: false),
               file.size < segmentLimit {
                writers[streamID] = file
                return file
            }
            let directory = segmentPath(String(streamID))
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try SegmentFile.syncDirectory(segmentsDirectory)
            }
            let relative = "\(streamID)/\(WallClock.now()).m4s"
            let file = try SegmentFile(path: segmentPath(relative), relativePath: relative, create: true)
            try SegmentFile.syncDirectory(directory)
            writers[streamID] = file
            return file
        }
    }

    func latestSegment(streamID: Int64) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT segment FROM fragments WHERE stream_id = ? ORDER BY number DESC LIMIT 1",
                                arguments: [streamID])
        }
    }

    /// The segment file the stream is being written into, if a push is open.
    func openSegment(streamID: Int64) -> String? {
        writersLock.withLock { writers[streamID]?.relativePath }
    }

    /// How many segment files are open for writing (for tests and metrics).
    public var openWriterCount: Int { writersLock.withLock { writers.count } }

    // MARK: reading

    public func fragment(number: FragmentNumber) throws -> FragmentRecord? {
        try database.read { db in
            // Cached statements: segment requests look fragments up by number hundreds of times a second.
            let statement = try db.cachedStatement(sql: "SELECT * FROM fragments WHERE number = ?")
            guard let record = try Row.fetchOne(statement, arguments: [number]).map(FragmentIndex.fragment) else { return nil }
            if let cutoff = try retentionCutoff(db, streamID: record.streamID), record.serverStart < cutoff { return nil }
            return record
        }
    }

    /// Fragments overlapping [from, to) by the chosen clock, sorted by time, resuming after `cursor`.
    public func fragments(streamID: Int64, kind: TimestampKind, from: Int64, to: Int64,
                          after cursor: FragmentCursor? = nil, limit: Int) throws -> [FragmentRecord] {
        try database.read { db in
            try FragmentIndex.fragments(db, streamID: streamID, kind: kind, from: from, to: to, after: cursor, limit: limit,
                                        retainedFrom: try retentionCutoff(db, streamID: streamID))
        }
    }

    /// Where the stream's retained fragments begin (server time), nil when it keeps everything.
    func retentionCutoff(_ db: Database, streamID: Int64) throws -> Int64? {
        let hours = try Int.fetchOne(db.cachedStatement(sql: "SELECT retention_hours FROM streams WHERE id = ?"), arguments: [streamID])
        return retention.cutoff(retentionHours: hours, now: clock())
    }

    public func initSegment(id: Int64) throws -> [UInt8] {
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT bytes FROM inits WHERE id = ?", arguments: [id])
        }
        guard let data else { throw StoreError.notFound("init segment \(id)") }
        return [UInt8](data)
    }

    public func bytes(of fragment: FragmentRecord) throws -> [UInt8] {
        try SegmentFile.read(path: segmentPath(fragment.segment), offset: fragment.offset, length: Int(fragment.size))
    }

    /// Part of a fragment's bytes (`range` within it, clamped to its size).
    public func bytes(of fragment: FragmentRecord, in range: Range<Int>) throws -> [UInt8] {
        let lower = min(max(range.lowerBound, 0), Int(fragment.size)), upper = min(max(range.upperBound, lower), Int(fragment.size))
        return try SegmentFile.read(path: segmentPath(fragment.segment), offset: fragment.offset + Int64(lower), length: upper - lower)
    }
}
