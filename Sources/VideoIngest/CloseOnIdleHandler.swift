import NIOCore

/// Closes a connection whose peer has sent nothing for the `IdleStateHandler`'s read timeout: a
/// stalled camera must not hold its stream (and a thread) forever. What it pushed is kept: the
/// session ends as if the peer had closed.
final class CloseOnIdleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
