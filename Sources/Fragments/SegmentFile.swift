import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of fragment bytes. Appends are positioned writes at the known end, so a
/// failed write can be cut back off and never leaves a partial fragment behind a good one.
final class SegmentFile {
    let relativePath: String
    private let fd: Int32
    private(set) var size: Int64

    /// - Parameter create: make the file if it is missing (else opening a missing file fails).
    init(path: String, relativePath: String, create: Bool) throws {
        self.relativePath = relativePath
        fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o644)
        guard fd >= 0 else { throw StoreError.io("open \(path)", errno) }
        size = Int64(lseek(fd, 0, SEEK_END))
    }

    /// Makes a directory's entries (a new file, a new folder) survive a power loss.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("open directory \(path)", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.io("fsync directory \(path)", errno) }
    }

    deinit { close(fd) }

    /// Writes `bytes` at the end and returns their offset. Not durable until `sync()`.
    func append(_ bytes: [UInt8]) throws -> Int64 {
        let offset = size
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                pwrite(fd, buffer.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = ftruncate(fd, off_t(offset))
                throw StoreError.io("write segment \(relativePath)", code)
            }
            written += n
        }
        size += Int64(bytes.count)
        return offset
    }

    func sync() throws {
        guard fdatasync(fd) == 0 else { throw StoreError.io("fsync segment \(relativePath)", errno) }
    }

    /// Lets the kernel drop the (durable, clean) pages of bytes just written: an archive is
    /// written once and seldom read soon, and keeping it cached evicts the index's pages.
    func dropCached(offset: Int64, length: Int64) {
        _ = posix_fadvise(fd, off_t(offset), off_t(length), Int32(POSIX_FADV_DONTNEED))
    }

    /// Cuts the file back to `length` bytes (undoing an append whose index row failed).
    func truncate(to length: Int64) {
        if ftruncate(fd, off_t(length)) == 0 { size = length }
    }

    /// The disk a file takes (its allocated blocks, not its size: punched holes take none), or 0.
    static func diskUsage(path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int64(info.st_blocks) * 512
    }

    /// Gives the blocks of `offset..<offset+length` back to the filesystem; the file keeps its size
    /// and every other byte (a reader of those bytes would see zeros — their rows are gone first).
    /// Best effort: a filesystem without hole punching keeps the bytes.
    static func punchHole(path: String, offset: Int64, length: Int64) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let punchHoleKeepSize: Int32 = 0x02 | 0x01 // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
        _ = linuxFallocate(fd, punchHoleKeepSize, off_t(offset), off_t(length))
    }

    static func read(path: String, offset: Int64, length: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("open \(path)", errno) }
        defer { close(fd) }
        guard length >= 0 else { throw StoreError.io("read \(path): negative length", EINVAL) }
        // Read straight into the array's storage (no zero fill first: serving is mostly copying).
        var failure: Int32?
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var done = 0
            while done < length {
                let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    failure = n < 0 ? errno : EIO
                    break
                }
                done += n
            }
            // On failure the bytes read so far are kept and the caller throws.
            initialized = done
        }
        if let failure { throw StoreError.io("read \(path)", failure) }
        return out
    }
}


/// glibc's fallocate(2), which the Glibc module does not export (it is behind _GNU_SOURCE).
@_silgen_name("fallocate")
private func linuxFallocate(_ fd: Int32, _ mode: Int32, _ offset: off_t, _ length: off_t) -> Int32
