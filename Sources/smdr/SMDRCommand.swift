import ArgumentParser

@main
struct SMDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smdr",
        abstract: "Collect, store and bill Avaya IP Office SMDR call records.",
        subcommands: [
            ServeCommand.self,
            WebCommand.self,
            UserCommand.self,
            IngestCommand.self,
            RejectsCommand.self,
            MigrateCommand.self,
            SiteCommand.self,
            RegisterCommand.self,
            MatchCommand.self,
            AssignCommand.self,
            RateCommand.self,
            PeriodCommand.self,
            ExportCommand.self,
            StatementCommand.self,
            ReportCommand.self,
            DatabaseCommand.self,
            ReplayCommand.self,
            ParseCommand.self,
            GenerateCommand.self,
        ]
    )

    /// Like ArgumentParser's `main()`, but every exit status comes from ``ExitStatus``: a usage
    /// error exits 2 (not 64), and an error a command did not map itself goes through
    /// ``ExitStatus/classify(_:)`` (never ArgumentParser's 1, which smdr keeps for rejected lines).
    static func main() async {
        do {
            var command = try await Self.asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch {
            switch Self.exitCode(for: error) {
            case .success:
                Self.exit(withError: error)  // --help, --version
            case .validationFailure:
                var message = Self.fullMessage(for: error)
                if !message.hasSuffix("\n") { message += "\n" }
                FileDescriptorOutput.standardError(message)
                Self.exit(withError: ExitCode(ExitStatus.usage))
            default:
                Self.exit(withError: CommandFailure.exit(for: error))
            }
        }
    }
}
