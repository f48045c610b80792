import AWSProtocol
import DataStreams
import Foundation
import HTTPTypes
import Hummingbird
import RouteSupport
import ServiceLifecycle

/// `GET /datastreams/{name}/events`: a data stream as Server-Sent Events, for browsers and scripts
/// without AWS tooling. Each record is one `record` event whose `id` is a resume cursor; send it
/// back as `Last-Event-ID` (or `?after=`) to continue. `?from=trim_horizon` starts at the oldest
/// record; the default starts with records appended from now on. Woken by appends, not polling.
public struct DataStreamEventsRoutes: Sendable {
    let service: DataStreamService
    static let keepAliveSeconds = 15.0

    public init(service: DataStreamService) {
        self.service = service
    }

    public func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        router.get("/datastreams/:name/events", use: events)
    }

    @Sendable func events(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let service = self.service
        let resume = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("after")
        let fromStart = request.uri.queryParameters.get("from")?.lowercased() == "trim_horizon"
        let follower: StreamFollower
        do {
            follower = try await blocking {
                let stream = try service.stream(named: name)
                if fromStart && resume == nil {
                    let origin = stream.shards.map { SequenceNumber.format(shard: $0.index, counter: 0) }.joined(separator: ",")
                    return try StreamFollower(stream: stream, resume: origin, service: service)
                }
                return try StreamFollower(stream: stream, resume: resume, service: service)
            }
        } catch let error as AWSError {
            let code = error.code == "ResourceNotFoundException" ? HTTPResponse.Status.notFound : .badRequest
            throw APIError(code, error.code.replacingOccurrences(of: "Exception", with: ""), error.message)
        }
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let body = ResponseBody { writer in
            var follower = follower
            try await writer.write(ByteBuffer(string: ": following \(name)\n\n"))
            // A server shutting down ends the stream instead of waiting for the client to leave.
            let stopping = StopFlag()
            let streamID = follower.streamID
            try await withGracefulShutdownHandler {
                while !Task.isCancelled && !stopping.isSet {
                    let seen = service.appends.version(of: follower.streamID)
                    let (records, position) = try await blocking { [follower] in
                        var copy = follower
                        let records = try copy.poll(service: service)
                        return (records, copy)
                    }
                    var delivered = follower
                    follower = position
                    if records.isEmpty {
                        await service.appends.wait(follower.streamID, after: seen, timeout: Self.keepAliveSeconds)
                        if service.appends.version(of: follower.streamID) == seen {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                        continue
                    }
                    var text = ""
                    for record in records {
                        delivered.advance(past: record)
                        text += "id: \(delivered.cursor)\nevent: record\ndata: \(Self.json(record))\n\n"
                    }
                    try await writer.write(ByteBuffer(string: text))
                }
            } onGracefulShutdown: {
                stopping.set()
                service.appends.wake(streamID)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One line of JSON: the record's data inline when it is JSON, else base64.
    static func json(_ record: StoredRecord) -> String {
        var object: [String: Any] = [
            "sequenceNumber": SequenceNumber.format(shard: record.shard, counter: record.sequence),
            "shardId": ShardID.format(record.shard), "partitionKey": record.partitionKey,
            "approximateArrivalTimestamp": Double(record.arrival) / 1000,
        ]
        if let value = try? JSONSerialization.jsonObject(with: Data(record.data), options: [.fragmentsAllowed]) {
            object["data"] = value
        } else {
            object["dataBase64"] = Data(record.data).base64EncodedString()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
