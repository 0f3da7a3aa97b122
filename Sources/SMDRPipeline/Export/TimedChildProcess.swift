#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SMDRJournal
import SMDRPostgres
import Synchronization

/// Runs a program that may hang (a browser on a page that never finishes loading) in a process
/// group of its own, with a deadline and a way to stop it early, blocking the calling thread:
/// call it only from a thread of its own.
///
/// `ChildProcess` (SMDRPostgres) waits as long as its program runs and for every holder of its
/// output pipe; this one stops at the deadline and kills the whole group, the program and every
/// child it started, so nothing is left running. It also kills the group when the program exits
/// by itself, before reaping it: a browser's helpers outlive it by a moment otherwise, and the
/// unreaped leader keeps its process-group id from being reused meanwhile.
///
/// Being in a group of its own, the program does not get the terminal's Ctrl-C: a caller that
/// must stop it on a signal turns the signal into ``Stop/request()``.
package enum TimedChildProcess {
    /// How a run ended.
    package enum Ending: Sendable, Hashable {
        /// The program exited with this status (128 + signal when a signal ended it, as a shell says).
        case exited(Int32)
        /// The deadline passed and the group was killed.
        case timedOut
        /// A stop was requested and the group was killed.
        case stopped
    }

    /// How a run ended and what the program said.
    package struct Outcome: Sendable {
        package var ending: Ending
        /// The tail of stdout and stderr together, at most ``maximumOutputBytes``.
        package var output: [UInt8]
    }

    /// Asks a run to kill its group and return, from any thread (a task's cancellation handler).
    package final class Stop: Sendable {
        private let requested = Atomic(false)

        package init() {}

        package func request() { self.requested.store(true, ordering: .relaxed) }

        package var isRequested: Bool { self.requested.load(ordering: .relaxed) }
    }

    /// The most output kept (its tail); more is read and discarded. 64 KiB: enough for the last
    /// words of a failing program, which is all its output is kept for.
    package static let maximumOutputBytes = 64 * 1024

    /// After the program exits, how long output still held by a stray writer outside the group
    /// (a daemon it started in a session of its own) is waited for: 200 ms.
    private static let drainMilliseconds: Int64 = 200

    /// Runs `executable` with `arguments` and `environment` (`NAME=value` strings); stdin is
    /// `/dev/null`, stdout and stderr are collected together.
    ///
    /// - Throws: ``SystemCallError`` when the program cannot be started.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String],
        timeout: Duration,
        stop: Stop = Stop()
    ) throws -> Outcome {
        // Close-on-exec from the start: a child another thread spawns meanwhile (a second print,
        // the embedded server) must not inherit the write end and hold the pipe open.
        guard let (readEnd, writeEnd) = closeOnExecPipe() else {
            throw SystemCallError("pipe2", path: executable, errno: errno)
        }
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own (so it can be killed whole), no blocked signals, and SIGPIPE back to
        // its default: an ignored signal survives exec, and NIO ignores SIGPIPE in this process.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        )

        let (pid, spawnStatus) = spawnWithOutput(executable, arguments, environment: environment, output: writeEnd, attributes: &attributes)
        close(writeEnd)
        guard spawnStatus == 0 else {
            close(readEnd)
            throw SystemCallError("posix_spawn", path: executable, errno: spawnStatus)
        }
        defer { close(readEnd) }

        let deadline = ContinuousClock.now + timeout
        var output = OutputTail()
        var pipeOpen = true
        while true {
            if Self.hasExited(pid) {
                kill(-pid, SIGKILL)
                let status = Self.reap(pid)
                // Every writer in the group is gone; read what is left, briefly, in case a
                // daemon in another session still holds the pipe.
                let drainDeadline = ContinuousClock.now + .milliseconds(Self.drainMilliseconds)
                while pipeOpen, ContinuousClock.now < drainDeadline {
                    pipeOpen = Self.readAvailable(readEnd, into: &output, waitMilliseconds: 20)
                }
                return Outcome(ending: .exited(status), output: output.bytes)
            }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || stop.isRequested {
                kill(-pid, SIGKILL)
                _ = Self.reap(pid)
                return Outcome(ending: stop.isRequested ? .stopped : .timedOut, output: output.bytes)
            }
            // Wake at least every 50 ms to notice a stop, or the exit of a program whose children
            // keep the pipe.
            let wait = min(Self.milliseconds(remaining), 50)
            if pipeOpen {
                pipeOpen = Self.readAvailable(readEnd, into: &output, waitMilliseconds: wait)
            } else {
                usleep(UInt32(wait) * 1000)
            }
        }
    }

    /// Whether `pid` has exited, without reaping it (its zombie keeps the group id reserved).
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == -1 {
            guard errno == EINTR else { return true }  // ECHILD: reaped already
        }
        #if canImport(Darwin)
        return info.si_pid == pid
        #else
        return info._sifields._sigchld.si_pid == pid
        #endif
    }

    /// Reaps `pid`, blocking until it exits; its status as a shell would give it.
    private static func reap(_ pid: pid_t) -> Int32 {
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS; a signal-terminated child reports 128 + signal like a shell.
        return (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
    }

    /// Waits up to `waitMilliseconds` for output and reads all there is; `false` at end of file.
    private static func readAvailable(_ descriptor: Int32, into output: inout OutputTail, waitMilliseconds: Int64) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(waitMilliseconds)) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                output.append(buffer[0..<count])
            } else if count == 0 {
                return false
            } else if errno == EINTR {
                continue
            } else {
                return errno == EAGAIN || errno == EWOULDBLOCK
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }
}

/// The last ``TimedChildProcess/maximumOutputBytes`` bytes of a program's output.
private struct OutputTail {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        self.bytes.append(contentsOf: chunk)
        let excess = self.bytes.count - TimedChildProcess.maximumOutputBytes
        if excess > 0 { self.bytes.removeFirst(excess) }
    }
}
