package import SMDRCore

/// A call a charge covers, as statements and exports itemise it.
package struct ExportCall: Sendable, Hashable {
    package var callID: Int
    /// Local start of the call (its first leg): with the site and `callID` the call's key.
    package var start: LocalDateTime
    /// `I` (inbound) or `O` (outbound), from the call's first leg covered; empty when unknown.
    package var direction: String
    /// The external party's number as the PBX gave it (may be empty: withheld).
    package var externalNumber: String
    /// That number in E.164, when it is one.
    package var externalE164: String?
    /// The external party's name as the PBX gave it (a caller's name arrives over SIP: hostile).
    package var externalName: String
    /// Talk (+ hold when the plan bills it) of the charge's legs in this call, in seconds.
    package var seconds: Int

    package init(
        callID: Int, start: LocalDateTime, direction: String, externalNumber: String, externalE164: String?,
        externalName: String, seconds: Int
    ) {
        self.callID = callID
        self.start = start
        self.direction = direction
        self.externalNumber = externalNumber
        self.externalE164 = externalE164
        self.externalName = externalName
        self.seconds = seconds
    }
}
