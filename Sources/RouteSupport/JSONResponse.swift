import Foundation
import Hummingbird

/// A JSON response of the native API: sorted keys, unescaped slashes, a trailing newline.
public enum JSONResponse {
    public static func make(status: HTTPResponse.Status = .ok, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
