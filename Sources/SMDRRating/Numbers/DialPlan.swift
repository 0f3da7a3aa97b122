public import SMDRCore

/// How a site's PBX dials and presents numbers: what it takes to turn the number on a leg into
/// E.164 (`+441632960100`).
public struct DialPlan: Hashable, Sendable {
    /// Country calling code without `+` (`44`); empty when unknown (then only `+` and
    /// international forms can be normalised).
    public var countryCode: String
    /// Trunk prefix of national numbers (`0` in the UK, `1` in North America, `8` in Russia).
    public var nationalPrefix: String
    /// Prefix of international numbers (`00`, `011` in North America, `810` in Russia).
    public var internationalPrefix: String
    /// Digits dialled for an outside line (often `9`), stripped from dialled numbers; empty if none.
    public var trunkAccessCode: String

    public init(countryCode: String, nationalPrefix: String, internationalPrefix: String, trunkAccessCode: String = "") {
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefix = internationalPrefix
        self.trunkAccessCode = trunkAccessCode
    }

    /// The dial plan stored with the site.
    public init(site: Site) {
        self.init(
            countryCode: site.countryCode,
            nationalPrefix: site.nationalPrefix,
            internationalPrefix: site.internationalPrefix,
            trunkAccessCode: site.trunkAccessCode
        )
    }
}
