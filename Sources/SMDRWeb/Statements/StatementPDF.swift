import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres

/// A statement page printed to PDF bytes with the printer of `smdr statement --pdf`
/// (``ChromiumPrinter``): into a directory of its own (mode 0700, a random name under the
/// temporary directory), read back, and removed, so that no two prints share a file and nothing
/// is left behind.
enum StatementPDF {
    /// Prints `html`; `documentDate` as ``ChromiumPrinter/printPDF(html:to:documentDate:)`` takes it.
    ///
    /// - Throws: ``ChromiumError`` when Chromium fails or is too slow; a file error when the
    ///   temporary directory cannot be made.
    static func print(_ html: [UInt8], documentDate: LocalDate?, printer: ChromiumPrinter) async throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-web-pdf-" + WebSecret.token()).path
        try await BlockingWork.run {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        do {
            let path = directory + "/statement.pdf"
            try await printer.printPDF(html: html, to: path, documentDate: documentDate)
            let bytes = try await BlockingWork.run { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
            try? await BlockingWork.run { try FileManager.default.removeItem(atPath: directory) }
            return bytes
        } catch {
            try? await BlockingWork.run { try FileManager.default.removeItem(atPath: directory) }
            throw error
        }
    }
}
