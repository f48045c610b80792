import NIOCore

/// Spaces socket reads once switched on, so that each read carries a batch of data. A camera
/// streaming RTP over TCP writes every packet on its own (~200 small writes a second); reading
/// each separately costs a wake-up of the event loop, of the connection's task and of the
/// ingest thread — on a VM, wake-ups are the bulk of ingest's CPU. Between reads the kernel's
/// receive buffer gathers the packets. The wait is sized from the stream's rate so that a read
/// finds about `batchBytes`, never longer than `maxInterval`: a 1.5 Mbit/s camera is read about
/// once a second, a 20 Mbit/s one every ~100 ms (so the kernel buffer never fills). Fragments
/// are seconds long, so the added latency is small.
final class ReadPacingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny

    /// For connections carrying media.
    static let mediaInterval = TimeAmount.seconds(1)
    /// The first paced wait, before the stream's rate is known.
    static let firstInterval = TimeAmount.milliseconds(100)
    /// Bytes a paced read aims to find waiting.
    static let batchBytes = 256 * 1024
    /// Read buffers for media connections: large enough that a paced read needs few syscalls.
    static let allocator = AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 64 * 1024, maximum: 256 * 1024)

    /// The longest wait between reads; nil: every read goes straight through (request phases).
    var maxInterval: TimeAmount?
    private var interval = TimeAmount.zero
    private var lastRead = NIODeadline.uptimeNanoseconds(0)
    private var bytesSinceRead = 0
    /// The last read was paced, so the bytes since then tell the stream's rate.
    private var measuring = false
    private var deferred: Scheduled<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytesSinceRead += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        let due = lastRead + interval
        guard maxInterval != nil, context.eventLoop.now < due else {
            readNow(context: context)
            return
        }
        guard deferred == nil else { return }
        deferred = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.deferred = nil
            self.readNow(context: context)
        }
    }

    private func readNow(context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        if let maxInterval {
            interval = measuring ? Self.interval(bytes: bytesSinceRead, over: now - lastRead, max: maxInterval)
                                 : Self.firstInterval
            measuring = true
        }
        lastRead = now
        bytesSinceRead = 0
        context.read()
    }

    /// The wait that lets about `batchBytes` gather at the rate just seen.
    static func interval(bytes: Int, over elapsed: TimeAmount, max maxInterval: TimeAmount) -> TimeAmount {
        guard bytes > 0, elapsed.nanoseconds > 0 else { return maxInterval }
        let nanoseconds = Double(batchBytes) * Double(elapsed.nanoseconds) / Double(bytes)
        return .nanoseconds(Int64(min(Double(maxInterval.nanoseconds), nanoseconds)))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deferred?.cancel()
    }
}

extension Channel {
    /// Switches read pacing on for this connection (see `ReadPacingHandler`).
    func paceReads(atMost interval: TimeAmount) {
        eventLoop.execute {
            guard let pacing = try? self.pipeline.syncOperations.handler(type: ReadPacingHandler.self) else { return }
            pacing.maxInterval = interval
            self.setOption(.recvAllocator, value: ReadPacingHandler.allocator).whenFailure { _ in }
        }
    }
}
