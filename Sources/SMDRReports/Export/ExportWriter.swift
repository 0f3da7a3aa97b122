/// Writes charges in one export format, streaming: bytes are appended to `output`, which the
/// caller writes out and empties as it likes, so memory stays flat however many charges there are
/// (a LEDES line carries its invoice's total from ``ExportCharge/invoiceTotal``).
///
/// Charges must come in the export order: client, matter (none first), currency, charge date,
/// first start, kind (fees first), charge id. The LEDES writer relies on it to close an invoice.
package protocol ExportWriter {
    /// The bytes before the first charge (a header, if the format has one).
    mutating func start(into output: inout [UInt8])
    /// One charge.
    mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError)
    /// The bytes after the last charge.
    mutating func finish(into output: inout [UInt8]) throws(ExportError)
    /// Invoices written so far, for a format that has them (LEDES); `nil` otherwise.
    var invoicesWritten: Int? { get }
}

extension ExportWriter {
    package var invoicesWritten: Int? { nil }
}

/// A charge a format cannot hold as it is (a LEDES identifier longer than the format allows):
/// the export stops and says which value and what is expected, rather than cut it.
package struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { self.message }
}
