import AWSProtocol
import Foundation
import Fragments
import Media
import Playback

/// GetImages: images sampled every `SamplingInterval` from StartTimestamp to EndTimestamp, a page
/// of `MaxResults` at a time, base64 in the JSON; an instant no fragment covers is `NO_MEDIA`.
extension VideoStreamService {
    static let imagesMaxRange: Int64 = 300_000_000

    func getImages(_ a: RequestMembers) throws -> AWSValue {
        let stream = try resolveStream(a)
        let kind: TimestampKind
        switch try a.required("ImageSelectorType") {
        case "PRODUCER_TIMESTAMP": kind = .producer
        case "SERVER_TIMESTAMP": kind = .server
        default: throw VideoStreamError.invalidArgument("ImageSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.")
        }
        guard let startMillis = try a.timestampMillis("StartTimestamp"), let endMillis = try a.timestampMillis("EndTimestamp") else {
            throw VideoStreamError.invalidArgument("StartTimestamp and EndTimestamp are required.")
        }
        let (start, end) = (startMillis * 1000, endMillis * 1000)
        guard start <= end, end - start <= Self.imagesMaxRange else {
            throw VideoStreamError.invalidArgument("EndTimestamp must not be before StartTimestamp, and the range at most 300 seconds.")
        }
        let interval = try a.int("SamplingInterval") ?? 3000
        guard (1...Int(Self.imagesMaxRange / 1000)).contains(interval) else {
            throw VideoStreamError.invalidArgument("SamplingInterval must be 1 to 300000 milliseconds.")
        }
        let format: ImageEncoder.Format
        switch try a.required("Format") {
        case "JPEG":
            let quality = try a.object("FormatConfig")?.string("JPEGQuality") ?? "80"
            guard let value = Int(quality), (1...100).contains(value) else {
                throw VideoStreamError.invalidArgument("FormatConfig JPEGQuality must be 1 to 100.")
            }
            format = .jpeg(quality: value)
        case "PNG": format = .png
        default: throw VideoStreamError.invalidArgument("Format must be JPEG or PNG.")
        }
        let width = try a.int("WidthPixels"), height = try a.int("HeightPixels")
        guard width.map({ (1...3840).contains($0) }) ?? true, height.map({ (1...2160).contains($0) }) ?? true else {
            throw VideoStreamError.invalidArgument("WidthPixels must be 1 to 3840 and HeightPixels 1 to 2160.")
        }
        let pageSize = try a.int("MaxResults") ?? 25
        guard (1...100).contains(pageSize) else { throw VideoStreamError.invalidArgument("MaxResults must be 1 to 100.") }
        if stream.attributes.retentionHours == 0 {
            throw VideoStreamError.noDataRetention("The stream \(stream.name) keeps no data (DataRetentionInHours 0).")
        }
        let instants = Array(stride(from: start, through: end, by: interval * 1000))
        var first = 0
        if let token = try a.string("NextToken") {
            guard let text = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }), text.hasPrefix("i1:"),
                  let offset = Int(text.dropFirst(3)), (0..<instants.count).contains(offset) else {
                throw VideoStreamError.invalidArgument("NextToken is not a token from GetImages with these arguments.")
            }
            first = offset
        }
        let page = Array(instants[first..<min(instants.count, first + pageSize)])
        let outcomes = try ArchiveImages(store: store, cache: caches.images).images(
            .init(streamID: stream.id, kind: kind, width: width, height: height, format: format), at: page)
        var response: [String: AWSValue] = ["Images": .array(zip(page, outcomes).map { instant, outcome in
            var image: [String: AWSValue] = ["TimeStamp": .timestamp(instant)]
            switch outcome {
            case .image(let bytes): image["ImageContent"] = .string(Data(bytes).base64EncodedString())
            case .noMedia: image["Error"] = "NO_MEDIA"
            case .mediaError: image["Error"] = "MEDIA_ERROR"
            }
            return .object(image)
        })]
        if first + page.count < instants.count {
            response["NextToken"] = .string(Data("i1:\(first + page.count)".utf8).base64EncodedString())
        }
        return .object(response)
    }
}
