public import SMDRCore

extension DialPlan {
    /// Normalises the external party's number of a leg (caller for inbound, dialled for
    /// outbound, as `call_leg.external_number`) to E.164.
    ///
    /// SKELETON: replaced by the real normaliser (Numbers helper).
    public func normalise(_ raw: String, direction: Direction) -> ExternalNumber {
        let digits = raw.filter(\.isNumber)
        if raw.hasPrefix("+"), !digits.isEmpty { return .e164("+" + digits) }
        if raw.isEmpty { return .withheld }
        if !self.nationalPrefix.isEmpty, digits.hasPrefix(self.nationalPrefix), !self.countryCode.isEmpty {
            return .e164("+" + self.countryCode + digits.dropFirst(self.nationalPrefix.count))
        }
        return .unusable
    }
}
