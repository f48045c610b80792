import Foundation

/// Splits an RTSP connection's byte stream into requests and interleaved `$` frames.
/// Incremental: feed bytes as they arrive, then take frames until `next()` returns nil.
/// Limits keep a hostile peer from growing memory: headers 16 KiB, bodies 64 KiB; an interleaved
/// frame is at most 65,535 bytes by its 16-bit length.
public struct RTSPParser: Sendable {
    public enum Frame: Equatable, Sendable {
        case request(RTSPRequest)
        /// The payload is a view into the parser's buffer (no copy); it must be dropped before
        /// the next `append`, or that append copies the whole buffer.
        case interleaved(channel: UInt8, payload: ArraySlice<UInt8>)
    }

    public enum ParseError: Error, Equatable {
        case headersTooLarge
        case bodyTooLarge(Int)
        case malformedRequestLine(String)
        case malformedHeader(String)
        case badContentLength(String)
        case unsupportedVersion(String)
    }

    public static let maxHeaderBytes = 16 * 1024
    public static let maxBodyBytes = 64 * 1024

    private var buffer: [UInt8] = []
    private var offset = 0

    public init() {}

    /// Bytes held but not yet parsed (bounded by the limits above).
    public var bufferedBytes: Int { buffer.count - offset }

    public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if offset > 0 && offset * 2 >= buffer.count {
            buffer.removeFirst(offset)
            offset = 0
        }
        buffer += bytes
    }

    /// The next complete frame, or nil when more bytes are needed. After an error the connection
    /// must be closed: the stream position is lost.
    public mutating func next() throws -> Frame? {
        guard offset < buffer.count else { return nil }
        if buffer[offset] == 0x24 { // '$'
            guard buffer.count - offset >= 4 else { return nil }
            let channel = buffer[offset + 1]
            let length = Int(buffer[offset + 2]) << 8 | Int(buffer[offset + 3])
            guard buffer.count - offset - 4 >= length else { return nil }
            let payload = buffer[(offset + 4)..<(offset + 4 + length)]
            offset += 4 + length
            return .interleaved(channel: channel, payload: payload)
        }
        guard let headerEnd = findHeaderEnd() else {
            if buffer.count - offset > Self.maxHeaderBytes { throw ParseError.headersTooLarge }
            return nil
        }
        guard headerEnd - offset <= Self.maxHeaderBytes else { throw ParseError.headersTooLarge }
        let head = String(decoding: buffer[offset..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        if lines.count == 1 { lines = head.components(separatedBy: "\n") }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3 else { throw ParseError.malformedRequestLine(String(head.prefix(100))) }
        guard requestLine[2] == "RTSP/1.0" else { throw ParseError.unsupportedVersion(String(requestLine[2].prefix(20))) }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw ParseError.malformedHeader(String(line.prefix(100))) }
            let name = line[..<colon].trimmingSpaces()
            guard !name.isEmpty else { throw ParseError.malformedHeader(String(line.prefix(100))) }
            headers.append((name: name, value: line[line.index(after: colon)...].trimmingSpaces()))
        }
        var length = 0
        if let text = headers.first(where: { $0.name.equalsIgnoringCase("Content-Length") })?.value {
            guard let value = Int(text), value >= 0 else { throw ParseError.badContentLength(String(text.prefix(20))) }
            guard value <= Self.maxBodyBytes else { throw ParseError.bodyTooLarge(value) }
            length = value
        }
        let bodyStart = headerEnd + (buffer[headerEnd] == 0x0D ? 4 : 2)
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        offset = bodyStart + length
        return .request(RTSPRequest(method: String(requestLine[0]), uri: String(requestLine[1]), headers: headers, body: body))
    }

    /// Index of the blank line ending the headers (CRLFCRLF, or LFLF from sloppy clients).
    private func findHeaderEnd() -> Int? {
        var i = offset
        let limit = min(buffer.count, offset + Self.maxHeaderBytes + 4)
        while i + 1 < limit {
            if buffer[i] == 0x0D, i + 3 < buffer.count, buffer[i + 1] == 0x0A, buffer[i + 2] == 0x0D, buffer[i + 3] == 0x0A {
                return i
            }
            if buffer[i] == 0x0A, buffer[i + 1] == 0x0A { return i }
            i += 1
        }
        return nil
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
