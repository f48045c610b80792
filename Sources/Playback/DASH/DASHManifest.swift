import Foundation
import Fragments

/// A DASH MPD over stored fragments: one adaptation set per track (each served on its own by
/// `SingleTrack`), each segment listed with its time and duration from the fragment's own
/// sample tables. Static for a fixed range (times from zero, via presentationTimeOffset);
/// dynamic for live sessions, where segment times are the producer's epoch time.
public struct DASHManifest {
    public struct Segment {
        public let fragment: FragmentRecord
        /// Per track ID: first decode time and total duration, in the track's timescale.
        public let timing: [UInt32: (start: UInt64, duration: UInt64)]

        public init(fragment: FragmentRecord, timing: [UInt32: (start: UInt64, duration: UInt64)]) {
            self.fragment = fragment
            self.timing = timing
        }
    }

    public var tracks: [MP4Track]
    public var segments: [Segment]
    public var live: Bool
    /// Server time now (µs), for a live manifest's publish time.
    public var now: Int64
    public var initURI: (_ fragment: FragmentRecord, _ trackNumber: Int) -> String
    public var segmentURI: (_ fragment: FragmentRecord, _ trackNumber: Int) -> String
    /// KVS's DisplayFragmentNumber / DisplayFragmentTimestamp: `kvs:fn` (the fragment number) and
    /// `kvs:ts` (its producer start, epoch milliseconds) on each segment's `S` element.
    public var showsFragmentNumbers = false
    public var showsFragmentTimestamps = false
    /// The namespace the `kvs:` attributes are declared in (XML parsers refuse an undeclared prefix).
    public static let kvsNamespace = "urn:videod:kinesis-video:dash"

    public init(tracks: [MP4Track], segments: [Segment], live: Bool, now: Int64,
                initURI: @escaping (FragmentRecord, Int) -> String, segmentURI: @escaping (FragmentRecord, Int) -> String) {
        self.tracks = tracks
        self.segments = segments
        self.live = live
        self.now = now
        self.initURI = initURI
        self.segmentURI = segmentURI
    }

    /// Timing of a fragment's tracks, read from its moof.
    public static func timing(moof: [UInt8], size: Int) -> [UInt32: (start: UInt64, duration: UInt64)] {
        var out: [UInt32: (start: UInt64, duration: UInt64)] = [:]
        for sample in MP4Sample.samples(fragment: moof, size: size) {
            let known = out[sample.trackID]
            out[sample.trackID] = (known?.start ?? sample.decodeTime,
                                   (known?.duration ?? 0).addingReportingOverflow(UInt64(sample.duration)).partialValue)
        }
        return out
    }

    public var text: String {
        let seconds = tracks.map { track -> Double in
            let total = segments.reduce(UInt64(0)) { $0 &+ ($1.timing[track.id]?.duration ?? 0) }
            return Double(total) / Double(track.timescale)
        }.max() ?? 0
        var mpd = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        mpd += #"<MPD xmlns="urn:mpeg:dash:schema:mpd:2011""#
        if showsFragmentNumbers || showsFragmentTimestamps { mpd += #" xmlns:kvs="\#(Self.kvsNamespace)""# }
        mpd += #" profiles="urn:mpeg:dash:profile:isoff-live:2011" minBufferTime="PT2S""#
        if live {
            mpd += #" type="dynamic" availabilityStartTime="1970-01-01T00:00:00Z" publishTime="\#(HLSMediaPlaylist.programDateTime(now))""#
            mpd += #" minimumUpdatePeriod="PT2S" timeShiftBufferDepth="\#(Self.duration(seconds + 10))" suggestedPresentationDelay="PT4S">"#
        } else {
            mpd += #" type="static" mediaPresentationDuration="\#(Self.duration(seconds))">"#
        }
        mpd += "\n" + #"<Period id="0" start="PT0S">"# + "\n"
        for (index, track) in tracks.enumerated() {
            mpd += adaptationSet(track, number: index + 1)
        }
        return mpd + "</Period>\n</MPD>\n"
    }

    private func adaptationSet(_ track: MP4Track, number: Int) -> String {
        let listed = segments.filter { $0.timing[track.id] != nil }
        guard let first = listed.first else { return "" }
        let video = track.kind == .video
        var bits: Int64 = 1
        for segment in listed {
            guard let timing = segment.timing[track.id], timing.duration > 0 else { continue }
            let rate = Double(segment.fragment.size) * 8 * Double(track.timescale) / Double(timing.duration)
            bits = max(bits, Int64(min(rate, 1e12)))
        }
        var text = #"<AdaptationSet id="\#(number)" contentType="\#(video ? "video" : "audio")" mimeType="\#(video ? "video/mp4" : "audio/mp4")" segmentAlignment="true" startWithSAP="1">"# + "\n"
        text += #"<Representation id="\#(number)" bandwidth="\#(bits)""#
        if let codec = CodecString.of(track) { text += #" codecs="\#(codec)""# }
        text += video ? #" width="\#(track.width)" height="\#(track.height)">"# : #" audioSamplingRate="\#(track.sampleRate)">"#
        text += "\n"
        let offset = live ? 0 : first.timing[track.id]!.start
        text += #"<SegmentList timescale="\#(track.timescale)" presentationTimeOffset="\#(offset)">"# + "\n"
        text += #"<Initialization sourceURL="\#(Self.escape(initURI(first.fragment, number)))"/>"# + "\n<SegmentTimeline>\n"
        for segment in listed {
            let timing = segment.timing[track.id]!
            text += #"<S t="\#(timing.start)" d="\#(timing.duration)""#
            if showsFragmentNumbers { text += #" kvs:fn="\#(segment.fragment.number)""# }
            if showsFragmentTimestamps { text += #" kvs:ts="\#(segment.fragment.producerStart / 1000)""# }
            text += "/>\n"
        }
        text += "</SegmentTimeline>\n"
        for segment in listed {
            text += #"<SegmentURL media="\#(Self.escape(segmentURI(segment.fragment, number)))"/>"# + "\n"
        }
        return text + "</SegmentList>\n</Representation>\n</AdaptationSet>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }

    static func duration(_ seconds: Double) -> String {
        "PT" + String(format: "%.3f", max(0, seconds)) + "S"
    }
}
