@testable import FrameAnalysis

/// Hand-built camera pictures for detector tests: a textured still background, seeded noise,
/// and whatever a test paints on top. No FFmpeg involved.
struct SyntheticScene {
    static let width = 160
    static let height = 90

    var random: SeededRandom
    let background: [UInt8]

    init(seed: UInt64 = 7) {
        random = SeededRandom(seed: seed)
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

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Approximately normal (sum of 12 uniforms).
    mutating func gaussian() -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += uniform() }
        return sum - 6
    }
}
