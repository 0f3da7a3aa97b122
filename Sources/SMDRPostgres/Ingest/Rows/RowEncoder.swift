import SMDRCore

/// What a row type's columns encode into: the `COPY` format encoder, and the values a column
/// takes from outside the row it is given (the batch's site and source; for a leg, its line's
/// month and key and its `call_start_local` text, formatted once).
///
/// The columns borrow the decided line or leg itself, so encoding copies no record.
package struct RowEncoder<Format> {
    var format: Format
    let siteID: Int
    let source: IngestSource
    var month = CallMonth.unparsed
    var digest: [UInt8] = []
    var startLocal = ""

    init(format: Format, siteID: Int, source: IngestSource) {
        self.format = format
        self.siteID = siteID
        self.source = source
    }
}
