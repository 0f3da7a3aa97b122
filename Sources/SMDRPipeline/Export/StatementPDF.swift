/// Prints a statement page to PDF with headless Chromium. (Lead's placeholder until part C's
/// printer merges.)
package struct StatementPDF: Sendable {
    package var chromium: String?
    package var timeout: Duration

    package init(chromium: String?, timeout: Duration) {
        self.chromium = chromium
        self.timeout = timeout
    }

    package func print(_ page: [UInt8], to path: String) async throws {
        throw OutputFileError(path: path, action: "print", errorNumber: 38)
    }
}
