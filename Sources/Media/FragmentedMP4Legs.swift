/// Reads a pushed fragmented-MP4 byte stream from a `ByteQueue` in legs, each ending just before a
/// `moof`, so that a demuxer can be closed and a fresh one opened on the init segment followed by
/// the rest of the stream. Why: libavformat's mov demuxer keeps an index entry per sample and per
/// `moof` it has read for as long as it is open, so one push lasting days grows without bound.
///
/// Only the top-level box headers are read here; the bytes themselves pass through unchanged.
/// A leg ends only where the next leg can carry on exactly: the init segment (`ftyp` + `moov`)
/// is known and the `moof` gives every track's decode time (`tfdt`), which the demuxer uses for
/// timestamps. Anything else (a size-0 box, a second `moov`, a `moof` without `tfdt`) leaves the
/// stream in one leg, as before.
public final class FragmentedMP4Legs {
    /// Bigger init segments (or a file that is not fragmented) are not worth keeping a copy of.
    public static let maxInitBytes = 4 << 20
    /// A `moof` is read whole to check for `tfdt` only up to this size.
    static let maxInspectedMoofBytes = 1 << 20

    private let queue: ByteQueue
    private let moofsPerLeg: Int
    /// `ftyp` and `moov` as received, replayed at the start of each later leg.
    private(set) var initSegment: [UInt8] = []
    private var sawMoov = false
    private var sawMoof = false
    private var canCut = true
    /// Bytes of the current top-level box still to pass on; its header has been checked.
    private var remainingInBox: UInt64 = 0
    private var capturingInit = false
    /// The box structure cannot be followed (a size-0 box runs to the end, a bad header):
    /// bytes pass on unread.
    private var passThrough = false
    private var moofsThisLeg = 0
    private var replayOffset = Int.max
    /// The last leg ended at a cut, not at the end of input.
    public private(set) var endedAtCut = false
    public private(set) var legCount = 1
    /// Bytes of the input handed on so far, and where in the input the current leg's own bytes
    /// (after the replayed init segment) begin.
    private var inputBytesRead: Int64 = 0
    private var legInputStart: Int64 = 0
    /// The replayed init segment's length at the start of the current leg (0 in the first).
    private(set) var legPrefixLength = 0

    public init(queue: ByteQueue, moofsPerLeg: Int) {
        self.queue = queue
        self.moofsPerLeg = max(1, moofsPerLeg)
    }

    /// Like `ByteQueue.read`: blocks until a byte is available; 0 at the end of this leg.
    public func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        guard destination.count > 0 else { return 0 }
        if replayOffset < initSegment.count { return replay(into: destination) }
        if endedAtCut { return 0 }
        if passThrough { return readInput(into: destination) }
        if remainingInBox == 0 {
            enterNextBox()
            if endedAtCut { return 0 }
            if passThrough { return readInput(into: destination) }
        }
        let limit = Int(min(UInt64(destination.count), remainingInBox))
        let count = readInput(into: UnsafeMutableRawBufferPointer(rebasing: destination.prefix(limit)))
        remainingInBox -= UInt64(count)
        if capturingInit { keepInit(UnsafeRawBufferPointer(rebasing: destination.prefix(count))) }
        return count
    }

    /// Where a byte `position` of the current leg's stream (as the demuxer counts, from the
    /// replayed init segment on) lies in the whole input.
    public func inputPosition(ofLegPosition position: Int64) -> Int64 {
        legInputStart + position - Int64(legPrefixLength)
    }

    private func readInput(into destination: UnsafeMutableRawBufferPointer) -> Int {
        let count = queue.read(into: destination)
        inputBytesRead += Int64(count)
        return count
    }

    /// Starts the next leg after a cut: the init segment is read again, then the held `moof`.
    public func startNextLeg() {
        guard endedAtCut else { return }
        endedAtCut = false
        moofsThisLeg = 0
        replayOffset = 0
        legInputStart = inputBytesRead
        legPrefixLength = initSegment.count
        legCount += 1
    }

    private func replay(into destination: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(destination.count, initSegment.count - replayOffset)
        initSegment.withUnsafeBytes { source in
            destination.baseAddress!.copyMemory(from: source.baseAddress!.advanced(by: replayOffset), byteCount: count)
        }
        replayOffset += count
        return count
    }

    private func keepInit(_ bytes: UnsafeRawBufferPointer) {
        guard initSegment.count + bytes.count <= Self.maxInitBytes else {
            stopCutting()
            return
        }
        initSegment.append(contentsOf: bytes)
    }

    private func stopCutting() {
        canCut = false
        capturingInit = false
        initSegment = []
    }

    /// Reads the next box's header without consuming it, and decides whether the leg ends here.
    private func enterNextBox() {
        guard let header = BoxHeader(queue.peek(16)) else {
            passThrough = true
            return
        }
        capturingInit = false
        switch header.type {
        case "ftyp", "moov":
            if sawMoof || (header.type == "moov" && sawMoov) {
                stopCutting() // a new init segment mid-stream: the old one no longer describes it
            } else if canCut {
                capturingInit = true
                sawMoov = sawMoov || header.type == "moov"
            }
        case "moof":
            if !sawMoof {
                sawMoof = true
                if !sawMoov { stopCutting() }
            }
            moofsThisLeg += 1
            if canCut, moofsThisLeg > moofsPerLeg, moofGivesDecodeTimes(size: header.size) {
                endedAtCut = true
                return
            }
        default:
            break
        }
        remainingInBox = header.size
    }

    private func moofGivesDecodeTimes(size: UInt64) -> Bool {
        guard size <= UInt64(Self.maxInspectedMoofBytes) else { return false }
        let moof = queue.peek(Int(size))
        guard UInt64(moof.count) == size, let box = MP4Boxes.topLevel(moof).first else { return false }
        let trafs = MP4Boxes.children(of: box, in: moof).filter { $0.type == "traf" }
        return !trafs.isEmpty && trafs.allSatisfy { traf in
            MP4Boxes.children(of: traf, in: moof).contains { $0.type == "tfdt" }
        }
    }
}

/// A top-level ISO-BMFF box header: 32-bit size and type, or size 1 and a 64-bit size after.
struct BoxHeader {
    let type: String
    let size: UInt64

    /// Nil when the bytes do not start a box this reader can follow (too short, size 0 — "to the
    /// end of the file" — or a size smaller than the header itself).
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return nil }
        let size32 = bytes[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        type = String(decoding: bytes[4..<8], as: UTF8.self)
        if size32 == 1 {
            guard bytes.count >= 16 else { return nil }
            size = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard size >= 16 else { return nil }
        } else {
            size = size32
            guard size >= 8 else { return nil }
        }
    }
}
