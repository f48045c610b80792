import Foundation
import Media
import TestSupport
import XCTest

/// Fragmented MP4 as videod stores it, made with ffmpeg for the tests that read it back.
enum StoredMedia {
    /// 4 s of H.264 (2 s GOPs, 15 fps) and mono AAC: init segment and moof+mdat fragments.
    static func fourSeconds() throws -> (initSegment: [UInt8], fragments: [[UInt8]]) {
        let directory = TemporaryDirectory("fmp4")
        defer { directory.remove() }
        let output = directory.file("clip.mp4")
        try FFmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", "4", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", output])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        let boxes = MP4Boxes.topLevel(bytes)
        let initEnd = try XCTUnwrap(boxes.first { $0.type == "moof" }).offset
        var fragments: [[UInt8]] = []
        for (moof, mdat) in zip(boxes, boxes.dropFirst()) where moof.type == "moof" && mdat.type == "mdat" {
            fragments.append(Array(bytes[moof.offset..<(mdat.offset + mdat.size)]))
        }
        return (Array(bytes[0..<initEnd]), fragments)
    }
}
