#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import SMDRCore

/// `smdr statement --pdf`: the statement page printed by headless Chromium. The page is written
/// to a private temporary directory, printed, and the directory removed; a closed month's PDF
/// carries the day it was closed as its document date, so it too is the same bytes every time.
package struct StatementPDF: Sendable {
    /// `SMDR_CHROMIUM`; `nil`: found on `PATH`.
    package var chromium: String?
    /// `SMDR_PDF_TIMEOUT`.
    package var timeout: Duration

    package init(chromium: String?, timeout: Duration) {
        self.chromium = chromium
        self.timeout = timeout
    }

    /// Prints `page` to `path` (replaced only by a complete PDF).
    /// - Throws: ``ChromiumError`` (no Chromium: the message names the package to install; a
    ///   timeout; a failed print), `CancellationError`.
    package func print(_ page: [UInt8], to path: String, closedOn: LocalDate?) async throws {
        let executable = try ChromiumPrinter.locate(
            configured: self.chromium, environmentPath: getenv("PATH").map { String(cString: $0) } ?? ""
        )
        let directory = try Self.temporaryDirectory()
        defer {
            unlink(directory + "/statement.html")
            rmdir(directory)
        }
        let html = directory + "/statement.html"
        try OutputDestination.file(html).write { $0.write(bytes: page) }
        try await ChromiumPrinter(executable: executable, timeout: self.timeout).printPDF(
            htmlFile: html, to: path, documentDate: closedOn
        )
    }

    /// A new directory only this user can read, under `TMPDIR` (else `/tmp`).
    private static func temporaryDirectory() throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/smdr-statement.XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw OutputFileError(path: base, action: "create a temporary directory in", errorNumber: errno)
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
