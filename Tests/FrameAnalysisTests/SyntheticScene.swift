@testable import FrameAnalysis
import TestSupport

/// Hand-built camera pictures for detector tests: a textured still background, seeded noise,
/// and whatever a test paints on top. No FFmpeg involved.
struct SyntheticScene {
    static let width = 160
    static let height = 90

    var random: SeededGenerator
    let background: [UInt8]

    init(seed: UInt64 = 7) {
        random = SeededGenerator(seed: seed)
        // Smooth texture: a few gradients and blobs, like a wall, a floor and a door.
        var pixels = [UInt8](repeating: 0, count: Self.width * Self.height)
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                var v = 60 + Double(x) * 0.6 + Double(y) * 0.4
                if (x / 20 + y / 15) % 2 == 0 { v += 25 }
                pixels[y * Self.width + x] = UInt8(max(0, min(255, v)))
            }
        }
        background = pixels
    }

    /// The background with per-pixel noise of about `sigma` levels, after `transform` maps each level.
    mutating func frame(noise sigma: Double = 2, transform: (Double) -> Double = { $0 }) -> GrayFrame {
        var pixels = background
        for i in 0..<pixels.count {
            let v = transform(Double(pixels[i])) + random.gaussian() * sigma
            pixels[i] = UInt8(max(0, min(255, v.rounded())))
        }
        return GrayFrame(width: Self.width, height: Self.height, pixels: pixels)
    }

    static func paint(_ frame: inout GrayFrame, x: Int, y: Int, width: Int, height: Int, level: UInt8) {
        for yy in max(0, y)..<min(Self.height, y + height) {
            for xx in max(0, x)..<min(Self.width, x + width) { frame[xx, yy] = level }
        }
    }
}
