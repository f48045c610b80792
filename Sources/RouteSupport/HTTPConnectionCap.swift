import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Primitives

/// Caps the HTTP listener's open connections: one past the cap is answered 503 and closed (no
/// request of it reaches a route). One instance per connection, sharing one count.
public final class HTTPConnectionCap: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private let count: ConnectionLimit
    private var admitted = false
    private var answered = false

    public init(count: ConnectionLimit) {
        self.count = count
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        admitted = count.acquire()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        if admitted { count.release() }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !admitted else { return context.fireChannelRead(data) }
        guard !answered else { return }
        answered = true
        let body = ByteBuffer(string: "{\"error\":\"ServiceUnavailable\",\"message\":\"the server is at its connection cap (--max-connections)\"}\n")
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
