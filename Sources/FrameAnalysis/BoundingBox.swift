/// A rectangle in normalised picture coordinates (0…1, origin top left), named as AWS
/// Rekognition names its bounding boxes.
public struct BoundingBox: Sendable, Equatable, Codable {
    public var left: Double
    public var top: Double
    public var width: Double
    public var height: Double

    public init(left: Double, top: Double, width: Double, height: Double) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    /// The box around pixel columns minX…maxX and rows minY…maxY of a width × height picture.
    init(minX: Int, minY: Int, maxX: Int, maxY: Int, width: Int, height: Int) {
        left = Double(minX) / Double(width)
        top = Double(minY) / Double(height)
        self.width = Double(maxX - minX + 1) / Double(width)
        self.height = Double(maxY - minY + 1) / Double(height)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        let l = min(left, other.left), t = min(top, other.top)
        let r = max(left + width, other.left + other.width), b = max(top + height, other.top + other.height)
        return BoundingBox(left: l, top: t, width: r - l, height: b - t)
    }

    enum CodingKeys: String, CodingKey {
        case left = "Left", top = "Top", width = "Width", height = "Height"
    }
}
