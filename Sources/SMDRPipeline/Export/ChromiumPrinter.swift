#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
package import SMDRCore
import NIOPosix
import SMDRJournal

/// Prints a self-contained HTML page (a statement) to PDF with headless Chromium, the browser of
/// the OS packages (`smdr statement --pdf`).
///
/// The page decides the paper: Chromium honours its CSS `@page { size: A4 }` or `letter` (A4
/// comes out as 594.96 × 841.92 pt, Letter as 612 × 792), so no paper flag is passed.
///
/// ## Isolation
/// The page holds text from outside (callers' names come over SIP), so each print is one
/// Chromium process group in a private directory (``TemporaryDirectory``, mode 0700) that holds
/// the page, a throw-away profile (`--user-data-dir`), Chromium's home and the PDF it prints, and
/// is removed afterwards. Nothing is written where another user could plant a link. Chromium gets
/// only the environment it needs to lay out text (``childEnvironment(inheriting:directory:)``),
/// never the database's password or settings; it does not fetch updates, run extensions or show
/// a first run. A deadline (``timeout``, `SMDR_PDF_TIMEOUT`) kills the whole group.
///
/// The printed file is checked to be a PDF (Chromium exits 0 even when the page did not load or
/// the file could not be written), then copied into place through ``OutputFile``: a file beside
/// the destination made exclusively, synced and renamed over it, so a failed print leaves the
/// destination as it was.
///
/// ## Reproducibility
/// Two prints of the same page differ only in the Info dictionary's `CreationDate` and `ModDate`
/// (the time of printing; Chromium 156 writes no document `/ID`, and the file's path is not in
/// the PDF). Given a `documentDate`, both are rewritten in place to that day at 00:00 UTC, same
/// length, so no byte offset moves, and the same page then gives the same PDF bytes.
package struct ChromiumPrinter: Sendable {
    /// The names looked up on `PATH` when no path is configured, in order.
    package static let candidateNames = ["chromium", "chromium-browser", "google-chrome"]

    /// What to do about a missing Chromium, ending every "not found" message.
    package static let installAdvice =
        "install the Debian package chromium (apt-get install chromium), or set SMDR_CHROMIUM to its path"

    /// The variables passed on to Chromium from this process's environment: the path, the locale
    /// and the time zone, and fontconfig's settings (which fonts, so a caller's emoji prints).
    /// A name ending in `_` stands for every name it begins. `HOME` and `TMPDIR` are set to the
    /// private directory instead (with no `XDG_*` passed, Chromium's and fontconfig's
    /// configuration and cache go under that `HOME` too).
    private static let inheritedVariables = ["PATH", "LANG", "LANGUAGE", "LC_", "TZ", "FONTCONFIG_"]

    /// The Chromium executable (see ``locate(configured:environmentPath:)``).
    package var executable: String
    /// The longest one print may take, Chromium's start included (`SMDR_PDF_TIMEOUT`, default 60 s).
    package var timeout: Duration

    package init(executable: String, timeout: Duration = .seconds(60)) {
        self.executable = executable
        self.timeout = timeout
    }

    /// The printer of `smdr statement --pdf`: `configured` (`--chromium` / `SMDR_CHROMIUM`), else
    /// Chromium found on this process's `PATH` (see ``locate(configured:environmentPath:)``).
    ///
    /// - Throws: ``ChromiumError`` naming the Debian package to install and `SMDR_CHROMIUM`.
    package init(configured: String?, timeout: Duration) throws(ChromiumError) {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        self.init(executable: try Self.locate(configured: configured, environmentPath: path), timeout: timeout)
    }

    /// The Chromium to run: `configured` (`--chromium` / `SMDR_CHROMIUM`), which must be an
    /// executable file (a bare name is looked up on the path), else the first of
    /// ``candidateNames`` on `environmentPath` (`PATH`, `:`-separated; empty entries are skipped).
    ///
    /// - Throws: ``ChromiumError`` naming the Debian package to install and `SMDR_CHROMIUM`.
    package static func locate(configured: String?, environmentPath: String) throws(ChromiumError) -> String {
        let directories = environmentPath.split(separator: ":").map(String.init)
        if let configured, !configured.isEmpty {
            if configured.contains("/") {
                if isExecutableFile(configured) { return configured }
            } else if let found = directories.lazy.map({ $0 + "/" + configured }).first(where: isExecutableFile) {
                return found
            }
            throw ChromiumError(
                "--pdf needs Chromium: the configured '\(configured)' (SMDR_CHROMIUM or --chromium) is not an executable file; "
                    + Self.installAdvice
            )
        }
        for name in Self.candidateNames {
            if let found = directories.lazy.map({ $0 + "/" + name }).first(where: isExecutableFile) { return found }
        }
        throw ChromiumError("--pdf needs Chromium: " + Self.installAdvice)
    }

    /// Prints `html` (a whole page) to `pdfPath`, replacing it, laid out by the page's own
    /// `@page` rules.
    ///
    /// All of it (writing the page, waiting for Chromium, copying the PDF into place with its
    /// sync, removing the private directory) happens on a thread of its own, neither on the
    /// cooperative pool nor on the shared blocking-I/O pool, whose few threads (one per core) a
    /// print would hold for seconds. Cancelling the task kills Chromium's group and throws
    /// `CancellationError`: Chromium runs in a process group of its own and does not get the
    /// terminal's Ctrl-C, so a command that should stop it on SIGINT or SIGTERM turns the signal
    /// into the cancellation of the print.
    ///
    /// - Parameter documentDate: the day the content was fixed (a closed month's closing day):
    ///   the PDF's creation and modification dates are set to it, so the same page gives the same
    ///   bytes. `nil` keeps the time of printing (a draft).
    /// - Throws: ``ChromiumError`` when Chromium does not finish within ``timeout``, exits with
    ///   an error, or prints no PDF; ``OutputFileError`` when `pdfPath` or the private directory
    ///   cannot be made or written, `SystemCallError` when the page cannot be written there;
    ///   `CancellationError` when cancelled.
    package func printPDF(html: [UInt8], to pdfPath: String, documentDate: LocalDate? = nil) async throws {
        let printer = self
        let stop = TimedChildProcess.Stop()
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            try await withTaskCancellationHandler {
                try await thread.runIfActive {
                    try printer.printBlocking(html: html, to: pdfPath, documentDate: documentDate, stop: stop)
                }
            } onCancel: {
                stop.request()
            }
            try? await thread.shutdownGracefully()
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    private func printBlocking(html: [UInt8], to pdfPath: String, documentDate: LocalDate?, stop: TimedChildProcess.Stop) throws {
        // Made first, so a destination that cannot be written fails before a print of seconds.
        let destination = try OutputFile(path: pdfPath)
        let directory = try TemporaryDirectory(prefix: "smdr-chromium")
        let pagePath = directory.path + "/page.html", printPath = directory.path + "/print.pdf"
        do {  // not synced: a crash loses only the print in progress
            let page = try POSIX.open(pagePath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
            defer { POSIX.close(page) }
            try html.withUnsafeBytes { try POSIX.writeAll(page, $0, at: 0, path: pagePath) }
        }

        let outcome: TimedChildProcess.Outcome
        do {
            outcome = try TimedChildProcess.run(
                self.executable,
                self.arguments(profile: directory.path + "/profile", pdfPath: printPath, url: fileURL(pagePath)),
                environment: Self.childEnvironment(inheriting: currentEnvironment(), directory: directory.path),
                timeout: self.timeout,
                stop: stop
            )
        } catch {
            throw ChromiumError("cannot run Chromium (\(self.executable)): \(error)")
        }
        let status: Int32
        switch outcome.ending {
        case .exited(let exitStatus):
            status = exitStatus
        case .timedOut:
            throw ChromiumError(
                "Chromium did not finish printing \(pdfPath) within \(describe(self.timeout)) and was stopped; "
                    + "raise SMDR_PDF_TIMEOUT (--pdf-timeout) if the page is that slow" + lastWords(outcome.output)
            )
        case .stopped:
            throw CancellationError()
        }
        guard status == 0 else {
            throw ChromiumError("Chromium (\(self.executable)) failed with status \(status) printing \(pdfPath)" + lastWords(outcome.output))
        }
        var pdf: [UInt8]
        do {
            pdf = try readFile(printPath)
        } catch {
            throw ChromiumError("Chromium wrote no PDF for \(pdfPath)" + lastWords(outcome.output))
        }
        guard pdf.starts(with: Array("%PDF-".utf8)) else {
            throw ChromiumError("Chromium wrote something other than a PDF for \(pdfPath)" + lastWords(outcome.output))
        }
        if let documentDate { _ = Self.setDocumentDates(of: &pdf, to: documentDate) }
        destination.output.write(bytes: pdf)
        try destination.commit()
    }

    /// Chromium's command line. `--no-sandbox` only as root, where Chromium refuses to start
    /// sandboxed; `--no-pdf-header-footer` drops the date, title and URL Chromium prints in the
    /// margins otherwise; no update checks or other background fetches, no extensions, no first
    /// run.
    private func arguments(profile: String, pdfPath: String, url: String) -> [String] {
        var arguments = ["--headless"]
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        arguments += [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-extensions",
            "--no-first-run",
            "--no-pdf-header-footer",
            "--user-data-dir=\(profile)",
            "--print-to-pdf=\(pdfPath)",
            url,
        ]
        return arguments
    }

    /// Chromium's environment (`NAME=value` strings): the entries of `environment` named `PATH`,
    /// `LANG`, `LANGUAGE`, `TZ`, `LC_*` or `FONTCONFIG_*`, in their order, then `HOME` and
    /// `TMPDIR` set to `directory`; nothing else (no `PGPASSWORD`, no `SMDR_DATABASE`).
    package static func childEnvironment(inheriting environment: [String], directory: String) -> [String] {
        var entries = environment.filter { entry in
            guard let equals = entry.utf8.firstIndex(of: UInt8(ascii: "=")) else { return false }
            let name = entry[..<equals]
            return Self.inheritedVariables.contains { $0.hasSuffix("_") ? name.hasPrefix($0) : name == $0 }
        }
        entries += ["HOME=\(directory)", "TMPDIR=\(directory)"]
        return entries
    }
}

// MARK: - Files

private func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    return access(path, X_OK) == 0
}

private func readFile(_ path: String) throws -> [UInt8] {
    let descriptor = try POSIX.open(path, flags: O_RDONLY)
    defer { POSIX.close(descriptor) }
    let size = try POSIX.fileSize(descriptor, path: path)
    return try POSIX.read(descriptor, count: Int(size), at: 0, path: path)
}

// MARK: - Text

/// `file://` and the absolute path, percent-encoded except for unreserved characters and `/`.
private func fileURL(_ path: String) -> String {
    var absolute = path
    if !path.hasPrefix("/") {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if getcwd(&buffer, buffer.count) != nil {
            let directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            absolute = (directory == "/" ? "" : directory) + "/" + path
        }
    }
    let hex = Array("0123456789ABCDEF".utf8)
    var url = Array("file://".utf8)
    for byte in absolute.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            url.append(byte)
        default:
            url += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
        }
    }
    return String(decoding: url, as: UTF8.self)
}

/// This process's environment as `NAME=value` strings, for
/// ``ChromiumPrinter/childEnvironment(inheriting:directory:)`` to choose from.
private func currentEnvironment() -> [String] {
    var entries: [String] = []
    var pointer = environ
    while let entry = pointer.pointee {
        entries.append(String(cString: entry))
        pointer += 1
    }
    return entries
}

/// `60s`, `1500ms`: the way `SMDR_PDF_TIMEOUT` is written.
private func describe(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let milliseconds = attoseconds / 1_000_000_000_000_000
    return milliseconds == 0 ? "\(seconds)s" : "\(seconds * 1000 + milliseconds)ms"
}

/// `: ` and the last lines Chromium wrote, without its complaints about the missing D-Bus (which
/// a server has none of, and which say nothing about the print); empty when nothing is left.
private func lastWords(_ output: [UInt8]) -> String {
    let lines = String(decoding: output, as: UTF8.self)
        .split(whereSeparator: \.isNewline)
        .filter { !$0.contains(":ERROR:dbus/") && !$0.allSatisfy(\.isWhitespace) }
        .suffix(5)
    return lines.isEmpty ? "" : ": " + lines.joined(separator: "\n")
}
