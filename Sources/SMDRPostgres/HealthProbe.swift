import NIOPosix
import Synchronization

/// Answers "does PostgreSQL answer?" within a deadline, whatever the server does.
///
/// libpq calls ignore task cancellation, so a probe through ``PostgresStore`` would wait as long
/// as a hung server makes it, and take a loader's thread meanwhile. The probe instead runs
/// `SELECT 1` on a thread and connection of its own, and ``check()`` returns at the deadline even
/// if the statement has not: at most one probe is ever in flight, and checks that arrive while
/// it hangs share its outcome or time out, so a hung database costs one thread, never more.
public final class HealthProbe: Sendable {
    /// What a check found.
    public enum Outcome: Sendable, Equatable {
        case answered
        case failed(String)
        case noAnswer(Duration)
    }

    private let configuration: PostgresConnection.Configuration
    private let timeout: Duration
    private let thread: NIOThreadPool
    private let state = Mutex(State())

    private struct State {
        var isRunning = false
        var waiters: [Waiter] = []
        var connection: ConnectionBox?
    }

    /// The probe's connection, used only on the probe's one thread.
    private final class ConnectionBox: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }

    /// One caller's continuation, resumed once: by the probe's outcome or by its deadline.
    private final class Waiter: Sendable {
        private let continuation: Mutex<CheckedContinuation<Outcome, Never>?>
        init(_ continuation: CheckedContinuation<Outcome, Never>) { self.continuation = Mutex(continuation) }
        func resume(_ outcome: Outcome) {
            self.continuation.withLock { continuation in
                continuation?.resume(returning: outcome)
                continuation = nil
            }
        }
    }

    /// - Parameters:
    ///   - connection: where to connect; its statement timeout is set to `timeout`.
    ///   - timeout: the longest ``check()`` takes.
    public init(connection: PostgresConnection.Configuration, timeout: Duration) {
        var configuration = connection
        configuration.statementTimeout = timeout
        let (seconds, attoseconds) = timeout.components
        configuration.connectTimeoutSeconds = max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
        self.configuration = configuration
        self.timeout = timeout
        self.thread = NIOThreadPool(numberOfThreads: 1)
        self.thread.start()
    }

    deinit {
        self.thread.shutdownGracefully { _ in }
    }

    /// Runs `SELECT 1` (or joins the probe already running) and returns within the timeout.
    public func check() async -> Outcome {
        await withCheckedContinuation { continuation in
            let waiter = Waiter(continuation)
            let starts = self.state.withLock { state in
                state.waiters.append(waiter)
                defer { state.isRunning = true }
                return !state.isRunning
            }
            if starts { self.thread.submit { _ in self.probe() } }
            let timeout = self.timeout
            Task {
                try? await Task.sleep(for: timeout)
                self.state.withLock { $0.waiters.removeAll { $0 === waiter } }
                waiter.resume(.noAnswer(timeout))
            }
        }
    }

    /// On the probe thread: one `SELECT 1`, then every waiter gets the outcome.
    private func probe() {
        var box = self.state.withLock { $0.connection }
        var outcome: Outcome = .failed("not probed")
        // A kept connection may have died with a server that has restarted since: one more
        // try on a new connection, so a healthy server is not reported down once.
        for attempt in 0..<2 where outcome != .answered {
            let reused = box != nil
            do {
                if box == nil { box = ConnectionBox(try PostgresConnection(configuration: self.configuration)) }
                try box!.connection.execute("SELECT 1")
                outcome = .answered
            } catch {
                box = nil
                outcome = .failed("\(error)")
                if !reused || attempt == 1 { break }
            }
        }
        let waiters = self.state.withLock { state in
            state.connection = box
            state.isRunning = false
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(outcome) }
    }
}
