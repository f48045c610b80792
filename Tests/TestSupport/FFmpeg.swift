import Foundation

/// The real `ffmpeg` CLI, for media made at test time (nothing large is kept in the repository).
public enum FFmpeg {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `ffmpeg -hide_banner -loglevel error -y ARGUMENTS`; throws unless it exits 0.
    public static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "ffmpeg exited with \(process.terminationStatus): \(arguments.joined(separator: " "))")
        }
    }

    /// A camera-like H.264 clip (moving test pattern, 320x240, 15 fps, a key frame every 2 s) as
    /// fragmented MP4 bytes, as a pushing encoder sends them.
    public static func fragmentedMP4(seconds: Int) throws -> [UInt8] {
        let directory = TemporaryDirectory("clip")
        defer { directory.remove() }
        let output = directory.file("clip.mp4")
        try run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-t", String(seconds),
                 "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
                 "-pix_fmt", "yuv420p", "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", output])
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }
}
