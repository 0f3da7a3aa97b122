import NIOCore
import Synchronization

/// Asks a connection to finish: close once it has been quiet for `quiet`, and at `deadline` at the latest.
struct DrainRequest: Sendable {
    var quiet: TimeAmount
    var deadline: NIODeadline
}

/// Why a connection's own handler closed it; read after the channel closed.
final class CloseReasonBox: Sendable {
    private let reason = Mutex<(ConnectionCloseReason, String?)?>(nil)

    var value: ConnectionCloseReason? { self.reason.withLock { $0?.0 } }

    /// The socket error that ended the connection, if one did.
    var error: String? { self.reason.withLock { $0?.1 } }

    func record(_ reason: ConnectionCloseReason, error: String? = nil) {
        self.reason.withLock { if $0 == nil { $0 = (reason, error) } }
    }
}

/// The first handler of every SMDR connection: counts bytes, closes idle connections, and
/// drains on shutdown.
///
/// Timers run only while a read is outstanding (NIO asked the socket for data and none came):
/// a connection that is not being read because the journal is full is not "idle", it is
/// being pushed back on.
///
/// ## Nothing received is dropped at the end
/// - A socket error (a reset) is not passed on: the handler closes the channel, so the line
///   decoder hands over the unterminated fragment it holds before the stream ends (an error
///   would end the stream first and lose it).
/// - When the drain deadline comes, the bytes the kernel has already acknowledged to the peer
///   (in the socket's receive buffer, unread because the journal was full) are read first,
///   bypassing backpressure, and the channel closes once the socket has nothing more or after
///   one receive buffer's worth.
final class ConnectionGuardHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let idleTimeout: TimeAmount?
    private let closeReason: CloseReasonBox
    private let bytesReceived: (Int) -> Void
    private var isReadOutstanding = false
    private var drain: DrainRequest?
    private var idleTimer: Scheduled<Void>?
    private var quietTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    /// Bytes still to read after the drain deadline, or `nil` before it.
    private var finalReadBudget: Int?
    private var finalReadTimer: Scheduled<Void>?

    init(idleTimeout: TimeAmount?, closeReason: CloseReasonBox, bytesReceived: @escaping (Int) -> Void) {
        self.idleTimeout = idleTimeout
        self.closeReason = closeReason
        self.bytesReceived = bytesReceived
    }

    func read(context: ChannelHandlerContext) {
        if !self.isReadOutstanding {
            self.isReadOutstanding = true
            self.armTimers(context: context)
        }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = Self.unwrapInboundIn(data).readableBytes
        self.bytesReceived(count)
        self.isReadOutstanding = false
        self.cancelReadTimers()
        if let budget = self.finalReadBudget { self.finalReadBudget = budget - count }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        guard let budget = self.finalReadBudget else { return }
        if budget > 0 {
            self.finalRead(context: context)
        } else {
            self.close(context: context, reason: .shutdownGracePeriodExpired)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.close(context: context, reason: .error, error: "\(error)")
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let drain = event as? DrainRequest else {
            return context.fireUserInboundEventTriggered(event)
        }
        guard self.drain == nil else { return }
        self.drain = drain
        self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: drain.deadline) {
            self.startFinalRead(context: context)
        }
        if self.isReadOutstanding { self.armTimers(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelReadTimers()
        self.deadlineTimer?.cancel()
        self.finalReadTimer?.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelReadTimers()
        self.deadlineTimer?.cancel()
        self.finalReadTimer?.cancel()
    }

    /// The grace period is over: read what the kernel holds (at most one receive buffer, so a
    /// peer that keeps sending cannot hold the shutdown), then close.
    private func startFinalRead(context: ChannelHandlerContext) {
        guard self.finalReadBudget == nil else { return }
        let receiveBuffer = (try? context.channel.syncOptions?.getOption(.socketOption(.so_rcvbuf))) ?? 0
        self.finalReadBudget = max(Int(receiveBuffer), 1)
        self.cancelReadTimers()
        self.finalRead(context: context)
    }

    /// One more read cycle, past the backpressure of the handlers behind this one; the channel
    /// closes when a quiet period passes without data (the socket had nothing left).
    private func finalRead(context: ChannelHandlerContext) {
        self.finalReadTimer?.cancel()
        let quiet = self.drain?.quiet ?? .milliseconds(250)
        self.finalReadTimer = context.eventLoop.assumeIsolated().scheduleTask(in: quiet) {
            self.close(context: context, reason: .shutdownGracePeriodExpired)
        }
        context.read()
    }

    private func armTimers(context: ChannelHandlerContext) {
        guard self.finalReadBudget == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        if let idleTimeout = self.idleTimeout {
            self.idleTimer?.cancel()
            self.idleTimer = loop.scheduleTask(in: idleTimeout) { self.close(context: context, reason: .idleTimeout) }
        }
        if let drain = self.drain {
            self.quietTimer?.cancel()
            self.quietTimer = loop.scheduleTask(in: drain.quiet) { self.close(context: context, reason: .shutdown) }
        }
    }

    private func cancelReadTimers() {
        self.idleTimer?.cancel()
        self.idleTimer = nil
        self.quietTimer?.cancel()
        self.quietTimer = nil
    }

    private func close(context: ChannelHandlerContext, reason: ConnectionCloseReason, error: String? = nil) {
        self.closeReason.record(reason, error: error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ConnectionGuardHandler: Sendable {}
