/// Regions of the picture to ignore (a tree in the wind, a road outside the property), given as
/// polygons in normalised coordinates (0…1, origin top left), rasterised at the analysis size.
public struct RegionMask: Sendable, Equatable {
    public typealias Polygon = [[Double]]

    /// `ignored[y * width + x]` is true for pixels whose centre lies inside any polygon.
    public let ignored: [Bool]
    public let width: Int
    public let height: Int

    public init(polygons: [Polygon], width: Int, height: Int) {
        self.width = width
        self.height = height
        var ignored = [Bool](repeating: false, count: width * height)
        for polygon in polygons where polygon.count >= 3 {
            let points = polygon.map { (x: $0[0] * Double(width), y: $0[1] * Double(height)) }
            for y in 0..<height {
                for x in 0..<width where !ignored[y * width + x] {
                    ignored[y * width + x] = Self.contains(points, x: Double(x) + 0.5, y: Double(y) + 0.5)
                }
            }
        }
        self.ignored = ignored
    }

    public var ignoredCount: Int { ignored.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Even-odd rule ray casting.
    private static func contains(_ points: [(x: Double, y: Double)], x: Double, y: Double) -> Bool {
        var inside = false
        var j = points.count - 1
        for i in 0..<points.count {
            let a = points[i], b = points[j]
            if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
