import ArgumentParser

@main
struct SMDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smdr",
        abstract: "Collect, store and bill Avaya IP Office SMDR call records.",
        subcommands: [ReplayCommand.self]
    )
}
