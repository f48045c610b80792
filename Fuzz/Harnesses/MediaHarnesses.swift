import Foundation
@testable import FrameAnalysis
@testable import Media
import Fragments
import Playback

/// Analysis settings bodies: whatever decodes and passes `problem()` is safe to analyse with.
enum SettingsHarness {
    static func run(_ bytes: [UInt8]) {
        guard let settings = try? JSONDecoder().decode(AnalysisSettings.self, from: Data(bytes)),
              settings.problem() == nil else { return }
        _ = settings.motion
        _ = settings.scene
        _ = Int64(900_000 / settings.frameRate)
        _ = RegionMask(polygons: settings.mask, width: 32, height: 18)
    }
}

/// A stream's retention settings (`PUT /streams/{name}/retention`): durations and sizes parse
/// into a rule whose arithmetic in the sweep cannot overflow.
enum RetentionHarness {
    static func run(_ bytes: [UInt8]) {
        guard let retention = try? JSONDecoder().decode(StreamRetention.self, from: Data(bytes)),
              let rule = try? retention.rule() else { return }
        let now = Int64(4_000_000_000_000_000) // past 2096: the sweep subtracts from the wall clock
        if let keepAll = rule.keepAll { _ = now - keepAll }
        if let keepEvents = rule.keepEvents { _ = now - keepEvents }
        require(rule.eventPadding >= 0 && rule.eventPadding <= 3_600_000_000, "padding \(rule.eventPadding)")
        if let maxBytes = rule.maxBytes { require(maxBytes > 0, "maxBytes \(maxBytes)") }
    }
}

/// Content-Type headers and first bytes of pushed bodies.
enum SniffHarness {
    static func run(_ bytes: [UInt8]) {
        _ = ContainerFormat.sniff(bytes)
        _ = ContainerFormat(contentType: String(decoding: bytes.prefix(200), as: UTF8.self))
    }
}

/// Box walking and `tfdt` reading/shifting over any bytes (the first piece stands for an init
/// segment, the rest for a fragment), and the download rebase built on them.
enum MP4Harness {
    static func run(_ bytes: [UInt8]) {
        let all = pieces(bytes, maxCount: 2)
        let initSegment = all.first.map(Array.init) ?? []
        var fragment = all.count > 1 ? Array(all[1]) : initSegment
        for box in MP4Boxes.topLevel(fragment) { _ = MP4Boxes.children(of: box, in: fragment) }
        let scales = FragmentTiming.timescales(initSegment: initSegment)
        _ = FragmentTiming.decodeTimes(fragment: fragment)
        let size = fragment.count
        FragmentTiming.shift(&fragment) { track in FragmentTiming.ticks(1_795_712_400_000_000, timescale: scales[track] ?? 90000) }
        require(fragment.count == size, "shift changed the size")
        let rebased = DownloadTimeline(initSegment: initSegment, firstFragment: fragment).rebase(fragment)
        require(rebased.count == size, "rebase changed the size")
        // GetMedia's reading of the same bytes: tracks, sample tables, a Matroska document.
        let tracks = MP4Track.tracks(initSegment: initSegment)
        for sample in MP4Sample.samples(fragment: fragment) {
            require(sample.range.lowerBound >= 0 && sample.range.upperBound <= fragment.count, "sample outside the fragment")
        }
        if let document = try? MatroskaDocument.make(tracks: tracks, fragment: fragment, producerStart: 1_795_712_400_000_000,
                                                     tagsBefore: [("AWS_KINESISVIDEO_FRAGMENT_NUMBER", "1")], tagsAfter: []) {
            require(document.starts(with: [0x1A, 0x45, 0xDF, 0xA3]), "a document begins with its EBML header")
        }
        // A clip of the fragment: its chunks lie inside the fragment and follow the header.
        let record = FragmentRecord(number: 1, streamID: 1, initID: 1, producerStart: 0, serverStart: 0, duration: 0,
                                    size: Int64(fragment.count), segment: "", offset: 0, discontinuity: false)
        if let clip = try? ProgressiveMP4(initSegment: initSegment, fragments: [(record, fragment)]) {
            var offset = clip.header.count
            for chunk in clip.chunks {
                require(chunk.offset == offset && chunk.range.upperBound <= fragment.count, "clip chunk out of place")
                offset += chunk.range.count
            }
            require(offset == clip.contentLength, "clip length")
        }
        // DASH's single-track cuts of the same bytes.
        for track in tracks {
            _ = SingleTrack.initSegment(initSegment, trackID: track.id)
            _ = SingleTrack.fragment(fragment, trackID: track.id)
        }
    }
}

/// AAC packets as MPEG-TS carries them: the ADTS header is found and stripped within the packet.
enum ADTSHarness {
    static func run(_ bytes: [UInt8]) {
        guard let packet = try? Packet(copying: bytes) else { return }
        let before = Int(packet.pointer.pointee.size)
        let length = ADTS.headerLength(packet.pointer)
        ADTS.strip(packet.pointer)
        require(Int(packet.pointer.pointee.size) == before - (length ?? 0), "strip size")
        require(packet.pointer.pointee.size >= 0, "negative size")
    }
}

/// A pushed fMP4 stream read in legs (`FragmentedMP4Legs`, one cut at every `moof` that allows
/// it): whatever the boxes say, the legs hand on every input byte once, in order, and each
/// later leg begins with the init segment replayed.
enum MP4LegsHarness {
    static func run(_ bytes: [UInt8]) {
        let input = pieces(bytes, maxCount: 64).map(Array.init)
        let legs = FragmentedMP4Legs(queue: ByteQueue(finished: input), moofsPerLeg: 1)
        var passed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 700)
        var replayed: [UInt8] = []
        while true {
            var leg: [UInt8] = []
            while true {
                let count = buffer.withUnsafeMutableBytes { legs.read(into: $0) }
                if count == 0 { break }
                leg += buffer[0..<count]
            }
            if legs.legCount > 1 {
                require(!replayed.isEmpty && leg.starts(with: replayed), "a later leg begins with the init segment")
                leg.removeFirst(replayed.count)
            }
            passed += leg
            guard legs.endedAtCut else { break }
            legs.startNextLeg()
            replayed = legs.initSegment
            require(replayed.count == legs.legPrefixLength, "the replayed length")
            require(legs.legCount <= bytes.count, "more legs than bytes")
        }
        require(passed == input.flatMap { $0 }, "the legs hand on the input unchanged")
    }
}

/// A video packet's NAL units read for the decode gate (`NALUnitReader`): the first byte picks
/// the codec and framing (Annex B or 1/2/4-byte lengths), the rest is the packet. The slices'
/// bytes never exceed the packet's; the summary feeds the gate as a live stream's would.
enum NALUnitsHarness {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let codec: VideoCodec = first & 1 == 0 ? .h264 : .hevc
        let lengthSize = [nil, 1, 2, 4][Int(first >> 1) & 3]
        let reader = NALUnitReader(codec: codec, lengthSize: lengthSize)
        let packet = Array(bytes.dropFirst())
        let summary = packet.withUnsafeBytes { reader.summary(of: $0) }
        require(summary.sliceBytes >= 0 && summary.sliceBytes <= packet.count, "slice bytes within the packet")
        var gate = DecodeGate()
        gate.keyFrame(sliceBytes: summary.sliceBytes)
        for size in packet.prefix(64) {
            _ = gate.picture(CodedPictureSummary(sliceBytes: Int(size) * summary.sliceBytes, isReference: size & 1 == 0))
            if size % 7 == 0 { gate.endGOP(busy: size & 2 == 0) }
            if size % 11 == 0 { gate.missed() }
        }
    }
}
