#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password for `smdr user add` and `smdr user passwd`: never from a flag (it would show
/// in the process list and the shell's history). From a terminal: asked twice without echo, and
/// the two must match. From anything else (a pipe, a file): its first line, so a script can
/// write `printf '%s\n' "$PW" | smdr user add NAME --role ROLE`.
enum PasswordInput {
    /// The password; a usage error (exit 2) when standard input has none or the two typed differ.
    static func read(for name: String) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = try Self.readHidden(prompt: "Password for \(name): ")
            let second = try Self.readHidden(prompt: "The same again: ")
            guard first == second else { throw CommandFailure.usage("the two passwords differ; nothing was changed") }
            return first
        }
        guard var line = readLine(strippingNewline: true) else {
            throw CommandFailure.usage("no password on standard input: type it at a terminal, or pipe one line (printf '%s\\n' \"$PW\" | smdr user …)")
        }
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// One line from the terminal with its echo turned off (and back on, whatever happens).
    private static func readHidden(prompt: String) throws -> String {
        FileDescriptorOutput.standardError(prompt)
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { throw CommandFailure.failure("cannot read the terminal's settings") }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { throw CommandFailure.failure("cannot turn the terminal's echo off") }
        defer { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure.usage("no password typed") }
        return line
    }
}
