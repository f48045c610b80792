import NIOCore
import Primitives

/// One stored fragment as Kinesis Video's GetMedia and GetMediaForFragmentList deliver it: a
/// complete Matroska document (consumers split the stream at each EBML header) —
/// `EBML | Segment { Info | Tracks | Tags(before) | Cluster | Tags(after) }` — whose cluster
/// timecode is the fragment's producer time in milliseconds (TimecodeScale 1 ms).
public enum MatroskaDocument {
    /// A tag as KVS writes them: a SimpleTag name and its string value.
    public typealias Tag = (name: String, value: String)

    public enum Failure: Error, Equatable {
        /// The stored init segment or fragment could not be read (damaged on disk).
        case unreadable(String)
    }

    /// Matroska's codec for an MP4 sample entry, nil when Matroska output does not carry it.
    static func codecID(_ track: MP4Track) -> String? {
        switch track.format {
        case "avc1", "avc3": "V_MPEG4/ISO/AVC"
        case "hvc1", "hev1": "V_MPEGH/ISO/HEVC"
        case "mp4a": "A_AAC"
        default: nil
        }
    }

    /// The document as bytes (tests and the fuzz harness; serving appends to a `ByteBuffer`).
    public static func make(tracks: [MP4Track], fragment: [UInt8], producerStart: Int64,
                            tagsBefore: [Tag], tagsAfter: [Tag]) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try append(to: &buffer, tracks: tracks, fragment: fragment, producerStart: producerStart,
                   tagsBefore: tagsBefore, tagsAfter: tagsAfter)
        return Array(buffer.readableBytesView)
    }

    /// Appends the document to `buffer`, copying each sample's bytes once, straight from the
    /// stored fragment into the buffer the socket writes from. Throws before writing anything.
    /// - Parameters:
    ///   - tracks: the fragment's init segment, read with `MP4Track.tracks(initSegment:)`.
    ///   - producerStart: microseconds since the epoch (the cluster's timecode).
    public static func append(to buffer: inout ByteBuffer, tracks: [MP4Track], fragment: [UInt8], producerStart: Int64,
                              tagsBefore: [Tag], tagsAfter: [Tag]) throws {
        // A block names its track in one byte (a vint): at most 127 tracks.
        let carried = Array(tracks.filter { codecID($0) != nil }.prefix(127))
        guard !carried.isEmpty else { throw Failure.unreadable("no track Matroska can carry") }
        let clusterTime = max(producerStart / 1000, 0)
        let blocks = self.blocks(MP4Sample.samples(fragment: fragment), carried: carried, clusterTime: clusterTime)
        var head = EBMLWriter()
        head.master(0x1A45_DFA3) { h in
            h.unsigned(0x4286, 1); h.unsigned(0x42F7, 1); h.unsigned(0x42F2, 4); h.unsigned(0x42F3, 8)
            h.string(0x4282, "matroska"); h.unsigned(0x4287, 4); h.unsigned(0x4285, 2)
        }
        head.openMaster(0x1853_8067)
        head.master(0x1549_A966) { info in
            info.unsigned(0x2AD7B1, 1_000_000)
            info.string(0x4D80, "videod")
            info.string(0x5741, "videod")
        }
        head.master(0x1654_AE6B) { entries in
            for (index, track) in carried.enumerated() {
                entries.master(0xAE) { entry in entry.trackEntry(track, number: index + 1) }
            }
        }
        head.tags(tagsBefore)
        // The cluster's size is computed first so that its blocks can follow it directly.
        var timecode = EBMLWriter()
        timecode.unsigned(0xE7, UInt64(clusterTime))
        let clusterSize = timecode.bytes.count + blocks.reduce(0) { $0 + EBMLWriter.elementLength(payload: 4 + $1.range.count) }
        head.id(0x1F43_B675)
        head.size(clusterSize)
        head.raw(timecode.bytes)
        var tail = EBMLWriter()
        tail.tags(tagsAfter)
        buffer.reserveCapacity(minimumWritableBytes: head.bytes.count + clusterSize + tail.bytes.count)
        buffer.writeBytes(head.bytes)
        var blockHeader = EBMLWriter()
        fragment.withUnsafeBytes { stored in
            for block in blocks {
                blockHeader.clear()
                blockHeader.id(0xA3)
                blockHeader.size(4 + block.range.count)
                let time = UInt16(bitPattern: block.relative)
                // Track number as a one-byte vint, the time relative to the cluster, flags.
                blockHeader.byte(0x80 | UInt8(block.number))
                blockHeader.byte(UInt8(time >> 8))
                blockHeader.byte(UInt8(time & 0xFF))
                blockHeader.byte(block.sync ? 0x80 : 0x00)
                buffer.writeBytes(blockHeader.bytes)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: stored[block.range]))
            }
        }
        buffer.writeBytes(tail.bytes)
    }

    private typealias Block = (number: Int, relative: Int16, sync: Bool, range: Range<Int>)

    /// The samples Matroska carries, as SimpleBlocks relative to the cluster time.
    private static func blocks(_ samples: [MP4Sample], carried: [MP4Track], clusterTime: Int64) -> [Block] {
        var blocks: [Block] = []
        blocks.reserveCapacity(samples.count)
        for sample in samples {
            guard let number = carried.firstIndex(where: { $0.id == sample.trackID }) else { continue }
            // Stored decode times are already on the producer clock (µs since the epoch, in the track's timescale).
            let millis = sample.presentationTime.multipliedReportingOverflow(by: 1000)
            guard !millis.overflow else { continue }
            // A damaged file's times can sit anywhere in Int64: the difference must not trap.
            let relative = (millis.partialValue / Int64(carried[number].timescale)).subtractingReportingOverflow(clusterTime)
            guard !relative.overflow else { continue }
            blocks.append((number + 1, Int16(clamping: relative.partialValue), sample.isSync, sample.range))
        }
        return blocks
    }

    /// KVS's timestamp tags: epoch seconds with milliseconds, "1527325436.792".
    public static func seconds(_ micros: Int64) -> String {
        let millis = micros / 1000
        let fraction = String(abs(millis % 1000))
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension EBMLWriter {
    fileprivate mutating func trackEntry(_ track: MP4Track, number: Int) {
        unsigned(0xD7, UInt64(number))
        unsigned(0x73C5, UInt64(number))
        unsigned(0x83, track.kind == .video ? 1 : 2)
        unsigned(0x9C, 0) // FlagLacing: one frame per block
        string(0x86, MatroskaDocument.codecID(track) ?? "")
        if !track.codecPrivate.isEmpty { binary(0x63A2, track.codecPrivate) }
        switch track.kind {
        case .video:
            master(0xE0) { video in
                video.unsigned(0xB0, UInt64(track.width))
                video.unsigned(0xBA, UInt64(track.height))
            }
        case .audio:
            master(0xE1) { audio in
                audio.float(0xB5, Double(track.sampleRate))
                audio.unsigned(0x9F, UInt64(max(track.channels, 1)))
            }
        }
    }

    fileprivate mutating func tags(_ tags: [MatroskaDocument.Tag]) {
        guard !tags.isEmpty else { return }
        master(0x1254_C367) { all in
            all.master(0x7373) { tag in
                tag.master(0x63C0) { _ in }
                for (name, value) in tags {
                    tag.master(0x67C8) { simple in
                        simple.string(0x45A3, name)
                        simple.string(0x4487, value)
                    }
                }
            }
        }
    }
}
