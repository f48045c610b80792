import Credentials
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import VideodServer

/// A whole videod, as `buildApplication` assembles it, over a temporary data directory; requests
/// go straight to its router (no socket), so each route family is tested in process.
enum InProcessServer {
    static func run(keys: [String: String] = [:], configure: (inout ServerConfiguration) -> Void = { _ in },
                    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = TemporaryDirectory("videod-routes")
        defer { directory.remove() }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configuration.http = ListenAddress("127.0.0.1:0")!
        configuration.rtsp = ListenAddress("127.0.0.1:0")!
        configuration.accessKeys = AccessKeys(keys)
        var logger = Logger(label: "videod-routes")
        logger.logLevel = .critical
        configuration.logger = logger
        configure(&configuration)
        try await buildApplication(configuration).test(.router, test)
    }
}

extension TestResponse {
    /// The body as a JSON object (fails the decode, not the process, when it is not one).
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw CocoaError(.propertyListReadCorrupt)
        }
        return object
    }

    var text: String { String(buffer: body) }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}

extension TestClientProtocol {
    /// A Kinesis Data Streams call in JSON 1.1, as boto3 makes it.
    func kinesis(_ operation: String, _ body: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-amz-json-1.1"]
        headers[HTTPField.Name("X-Amz-Target")!] = "Kinesis_20131202.\(operation)"
        headers.append(contentsOf: extra)
        return try await execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}
