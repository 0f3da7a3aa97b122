import ArgumentParser

@main
struct SMDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smdr",
        abstract: "Collect, store and bill Avaya IP Office SMDR call records.",
        subcommands: [
            ServeCommand.self,
            IngestCommand.self,
            MigrateCommand.self,
            SiteCommand.self,
            DatabaseCommand.self,
            ReplayCommand.self,
            ParseCommand.self,
            GenerateCommand.self,
        ]
    )

    /// Like ArgumentParser's `main()`, but a usage error exits with status 2 (not 64), the
    /// convention of `smdr`'s documented exit codes.
    static func main() async {
        do {
            var command = try await Self.asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if Self.exitCode(for: error) == .validationFailure {
                var message = Self.fullMessage(for: error)
                if !message.hasSuffix("\n") { message += "\n" }
                FileDescriptorOutput.standardError(message)
                Self.exit(withError: ExitCode(ExitStatus.usage))
            }
            Self.exit(withError: error)
        }
    }
}
