import ArgumentParser
import SMDRCore
import SMDRPipeline

/// Who the firm is, for the billing outputs (`export`, `statement`, `report`), and where else
/// their settings come from (``OutputSettings``).
struct FirmOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings file of NAME=value lines (default: $SMDR_CONFIG), as smdr serve reads.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The firm's name on statements and reports (default: $SMDR_FIRM_NAME).", valueName: "name"))
    var firmName: String?

    @Option(help: ArgumentHelp("The firm's address on statements, lines separated by ; (default: $SMDR_FIRM_ADDRESS).", valueName: "text"))
    var firmAddress: String?

    /// The settings, `flags` filled in with this group's; a bad value is a usage error (exit 2).
    func settings(_ flags: OutputSettings.Flags) async throws -> OutputSettings {
        var flags = flags
        flags.firmName = self.firmName
        flags.firmAddress = self.firmAddress
        do {
            return try OutputSettings.resolve(flags: flags, source: try await SettingsSource.load(configPath: self.config))
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }
}

/// `--from` / `--to` of the billing outputs.
enum PeriodArguments {
    /// A date argument, or a validation error saying what is expected.
    static func date(_ text: String, flag: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw ValidationError("\(flag) '\(text)': expected a date YYYY-MM-DD") }
        return date
    }

    /// Both dates, checked to be in order.
    static func period(from: String, to: String) throws -> (from: LocalDate, to: LocalDate) {
        let first = try Self.date(from, flag: "--from")
        let last = try Self.date(to, flag: "--to")
        guard first <= last else { throw ValidationError("--to \(last) is before --from \(first); expected a period from ≤ to") }
        return (first, last)
    }
}
