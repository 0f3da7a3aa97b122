import ArgumentParser

@main
struct SMDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smdr",
        abstract: "Collect, store and bill Avaya IP Office SMDR call records.",
        subcommands: [MigrateCommand.self, IngestCommand.self, DatabaseCommand.self]
    )
}
