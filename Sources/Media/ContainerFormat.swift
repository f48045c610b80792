import Foundation

/// Recognises a pushed container from its Content-Type or, failing that, its first bytes.
public enum ContainerFormat: String, Sendable, CaseIterable {
    case mp4, mpegts, matroska

    /// The libav demuxer name.
    public var demuxerName: String {
        switch self {
        case .mp4: return "mp4"
        case .mpegts: return "mpegts"
        case .matroska: return "matroska"
        }
    }

    public init?(contentType: String?) {
        guard let contentType else { return nil }
        let mime = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mime {
        case "video/mp4", "video/iso.segment", "audio/mp4", "application/mp4": self = .mp4
        case "video/mp2t", "video/mpegts", "video/mpeg-ts": self = .mpegts
        case "video/x-matroska", "video/matroska", "video/webm", "audio/x-matroska": self = .matroska
        default: return nil
        }
    }

    /// How many leading bytes `sniff` wants to see.
    public static let sniffLength = 188 * 3

    public static func sniff(_ head: [UInt8]) -> ContainerFormat? {
        if head.count >= 4, head[0] == 0x1A, head[1] == 0x45, head[2] == 0xDF, head[3] == 0xA3 {
            return .matroska
        }
        if head.count >= 8 {
            let type = String(decoding: head[4..<8], as: UTF8.self)
            if ["ftyp", "styp", "moov", "moof", "free", "skip"].contains(type) { return .mp4 }
        }
        if head.count >= 188 * 2, head[0] == 0x47, head[188] == 0x47, head.count < 188 * 3 || head[376] == 0x47 {
            return .mpegts
        }
        return nil
    }
}
