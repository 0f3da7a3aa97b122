/// What the external party's number on a leg turned out to be, after normalisation with the
/// site's ``DialPlan``. Only ``e164(_:)`` can ever match a registered client number.
public enum ExternalNumber: Hashable, Sendable {
    /// E.164 with the leading `+` (`+441632960100`).
    case e164(String)
    /// Empty, withheld, anonymous or private: never matches.
    case withheld
    /// A service or feature code (`*47`, `#AA:Night AA`, `*99*243#`): never matches.
    case serviceCode
    /// Anything else that cannot be a telephone number in this dial plan (`xfer`, `VoiceMail`,
    /// too short or too long): never matches.
    case unusable

    /// The E.164 text, when there is one.
    public var e164: String? {
        if case .e164(let text) = self { return text }
        return nil
    }
}
