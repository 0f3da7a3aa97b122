package import SMDRCore

/// A parsed record and its Call Start resolved to an instant in the site's time zone.
package struct DecidedLeg: Sendable {
    package var record: CallRecord
    package var time: ResolvedTime

    package init(record: CallRecord, time: ResolvedTime) {
        self.record = record
        self.time = time
    }
}
