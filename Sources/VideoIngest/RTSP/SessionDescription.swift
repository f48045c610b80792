import Foundation

/// The parts of an SDP (RFC 4566) body that an ANNOUNCE carries and ingest needs: per media
/// section its kind, payload type, codec and clock rate (`rtpmap`), format parameters (`fmtp`)
/// and `control` URL.
public struct SessionDescription: Equatable, Sendable {
    public struct Media: Equatable, Sendable {
        public var kind: String
        public var payloadType: UInt8
        public var encoding: String
        public var clockRate: Int
        public var channels: Int?
        public var formatParameters: [String: String]
        public var control: String?
    }

    public enum ParseError: Error, Equatable {
        case empty
        case malformedMediaLine(String)
        case missingRtpmap(String)
    }

    public var media: [Media]

    public init(parsing text: String) throws {
        var sections: [[String]] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("m=") { sections.append([line]) } else if !sections.isEmpty { sections[sections.count - 1].append(line) }
        }
        guard !sections.isEmpty else { throw ParseError.empty }
        media = try sections.map(Self.media)
    }

    private static func media(_ lines: [String]) throws -> Media {
        let m = lines[0].dropFirst(2).split(separator: " ")
        guard m.count >= 4, let payloadType = UInt8(m[3]), payloadType < 128 else {
            throw ParseError.malformedMediaLine(String(lines[0].prefix(100)))
        }
        var encoding: String?, clockRate = 0, channels: Int?
        var fmtp: [String: String] = [:]
        var control: String?
        for line in lines.dropFirst() {
            if line.hasPrefix("a=rtpmap:\(payloadType) ") {
                let parts = line.split(separator: " ", maxSplits: 1)[1].split(separator: "/")
                encoding = parts.first.map { $0.uppercased() }
                clockRate = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                channels = parts.count > 2 ? Int(parts[2]) ?? 0 : nil
            } else if line.hasPrefix("a=fmtp:\(payloadType) ") {
                let list = line.split(separator: " ", maxSplits: 1)[1]
                for pair in list.split(separator: ";") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if kv.count == 2 { fmtp[kv[0].lowercased()] = kv[1] }
                }
            } else if line.hasPrefix("a=control:") {
                control = String(line.dropFirst("a=control:".count))
            }
        }
        // Clock rates are 32-bit time bases in libav; channel counts are small.
        guard let encoding, (1...Int(Int32.max)).contains(clockRate), channels.map({ (1...64).contains($0) }) ?? true else {
            throw ParseError.missingRtpmap("payload type \(payloadType) has no usable rtpmap (clock rate 1…2147483647, 1…64 channels)")
        }
        return Media(kind: String(m[0]), payloadType: payloadType, encoding: encoding, clockRate: clockRate,
                     channels: channels, formatParameters: fmtp, control: control)
    }
}

extension SessionDescription.Media {
    /// Parameter sets from `sprop-parameter-sets` (H.264) or `sprop-vps/sps/pps` (H.265), decoded.
    public var parameterSets: [[UInt8]] {
        let keys = encoding == "H265" ? ["sprop-vps", "sprop-sps", "sprop-pps"] : ["sprop-parameter-sets"]
        return keys.compactMap { formatParameters[$0] }
            .flatMap { $0.split(separator: ",") }
            .compactMap { Data(base64Encoded: String($0)).map { [UInt8]($0) } }
    }
}
