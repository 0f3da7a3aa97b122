package import SMDRReports

/// The settings of the billing outputs (`smdr export`, `statement`, `report`): who the firm is,
/// the paper, and Chromium for PDFs. Flag, then environment, then the configuration file
/// (`--config`, `SMDR_CONFIG`), then the default, like `serve`'s.
package struct OutputSettings: Sendable {
    package var firm: Firm
    /// `SMDR_LAW_FIRM_ID` was not set: LEDES files carry the placeholder `smdr`.
    package var lawFirmIDIsDefault: Bool
    package var paper: Paper
    /// `SMDR_CHROMIUM`: the browser that prints PDFs; `nil`: look for it on `PATH`.
    package var chromium: String?
    /// `SMDR_PDF_TIMEOUT`: the longest one PDF may take to print.
    package var pdfTimeout: Duration
    /// `SMDR_REPORT_MAX_DAYS`: the longest period `smdr report` covers (its day chart and table
    /// have a point and a line per day).
    package var reportMaxDays: Int

    /// The values given on the command line, if any.
    package struct Flags: Sendable {
        package var firmName: String?
        package var firmAddress: String?
        package var lawFirmID: String?
        package var paper: String?
        package var chromium: String?
        package var pdfTimeout: String?
        package var reportMaxDays: String?

        package init(
            firmName: String? = nil, firmAddress: String? = nil, lawFirmID: String? = nil, paper: String? = nil,
            chromium: String? = nil, pdfTimeout: String? = nil, reportMaxDays: String? = nil
        ) {
            self.firmName = firmName
            self.firmAddress = firmAddress
            self.lawFirmID = lawFirmID
            self.paper = paper
            self.chromium = chromium
            self.pdfTimeout = pdfTimeout
            self.reportMaxDays = reportMaxDays
        }
    }

    /// The placeholder `LAW_FIRM_ID` when none is set.
    package static let defaultLawFirmID = "smdr"
    /// The longest `LAW_FIRM_ID` LEDES 1998B allows.
    package static let maximumLawFirmIDLength = 20
    /// 60 s: a statement of a few hundred calls prints in about a second.
    package static let defaultPDFTimeout: Duration = .seconds(60)
    /// Ten years of days.
    package static let defaultReportMaxDays = 3660

    /// Every setting, for the README and the example configuration (checked by a test).
    package static let settings: [ServeConfiguration.Setting] = [
        .init(environment: "SMDR_FIRM_NAME", flag: "--firm-name", defaultValue: "none",
              meaning: "The firm's name, at the top of statements and reports."),
        .init(environment: "SMDR_FIRM_ADDRESS", flag: "--firm-address", defaultValue: "none",
              meaning: "The firm's address on statements, lines separated by ;."),
        .init(environment: "SMDR_LAW_FIRM_ID", flag: "--law-firm-id", defaultValue: "smdr",
              meaning: "LAW_FIRM_ID of LEDES 1998B exports (at most 20 characters): the ID your clients' e-billing systems know the firm by, often its tax ID. Without it LEDES files carry smdr and a warning is printed."),
        .init(environment: "SMDR_PAPER", flag: "--paper", defaultValue: "a4",
              meaning: "Paper statements and reports are laid out for: a4 or letter."),
        .init(environment: "SMDR_CHROMIUM", flag: "--chromium", defaultValue: "chromium on PATH",
              meaning: "The headless Chromium that prints statement PDFs (Debian package chromium); by default the first of chromium, chromium-browser, google-chrome on PATH."),
        .init(environment: "SMDR_PDF_TIMEOUT", flag: "--pdf-timeout", defaultValue: "60s",
              meaning: "Longest one PDF may take to print before Chromium is stopped and the command fails."),
        .init(environment: "SMDR_REPORT_MAX_DAYS", flag: "--max-days", defaultValue: "3660",
              meaning: "Longest period smdr report covers, in days (its day chart and table have a point and a line per day); a longer one is refused."),
    ]

    package static func resolve(flags: Flags, source: SettingsSource) throws(SettingsError) -> OutputSettings {
        /// The flag, else the environment or file: with the name to blame when it is wrong.
        func given(_ name: String, _ flag: String?, _ flagName: String) -> (text: String, origin: String)? {
            if let flag { return (flag, flagName) }
            return source.text(name).map { ($0, name) }
        }
        let name = given("SMDR_FIRM_NAME", flags.firmName, "--firm-name")?.text ?? ""
        let address = given("SMDR_FIRM_ADDRESS", flags.firmAddress, "--firm-address")?.text ?? ""
        let lawFirmID = given("SMDR_LAW_FIRM_ID", flags.lawFirmID, "--law-firm-id")
        if let lawFirmID,
            lawFirmID.text.isEmpty || lawFirmID.text.count > Self.maximumLawFirmIDLength
                || lawFirmID.text.contains(where: { $0 == "|" || $0 == "[" || $0 == "]" || $0.isNewline })
        {
            throw SettingsError(
                name: lawFirmID.origin,
                message: "expected an ID of 1 to \(Self.maximumLawFirmIDLength) characters without | [ ] (LEDES 1998B LAW_FIRM_ID), got '\(lawFirmID.text)'"
            )
        }
        var paper = Paper.a4
        if let given = given("SMDR_PAPER", flags.paper, "--paper") {
            guard let value = Paper(rawValue: given.text.lowercased()) else {
                throw SettingsError(name: given.origin, message: "expected a4 or letter, got '\(given.text)'")
            }
            paper = value
        }
        var timeout = Self.defaultPDFTimeout
        if let given = given("SMDR_PDF_TIMEOUT", flags.pdfTimeout, "--pdf-timeout") {
            guard let value = SettingValue.duration(given.text), value > .zero else {
                throw SettingsError(name: given.origin, message: "expected a duration above 0 like 60s or 2m, got '\(given.text)'")
            }
            timeout = value
        }
        var reportMaxDays = Self.defaultReportMaxDays
        if let given = given("SMDR_REPORT_MAX_DAYS", flags.reportMaxDays, "--max-days") {
            guard let value = Int(given.text), value >= 1 else {
                throw SettingsError(name: given.origin, message: "expected a number of days ≥ 1, got '\(given.text)'")
            }
            reportMaxDays = value
        }
        let chromium = given("SMDR_CHROMIUM", flags.chromium, "--chromium")?.text
        return OutputSettings(
            firm: Firm(
                name: name,
                address: address.split(separator: ";").map { String($0).trimmingCharacters() }.filter { !$0.isEmpty },
                lawFirmID: lawFirmID?.text ?? Self.defaultLawFirmID
            ),
            lawFirmIDIsDefault: lawFirmID == nil, paper: paper, chromium: chromium?.isEmpty == true ? nil : chromium,
            pdfTimeout: timeout, reportMaxDays: reportMaxDays
        )
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var slice = self[...]
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
