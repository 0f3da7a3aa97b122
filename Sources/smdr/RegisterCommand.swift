import ArgumentParser
import Foundation
import SMDRPipeline
import SMDRPostgres

/// `smdr register import|export KIND`: the billing register as CSV files (DESIGN §6).
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Import or export the billing register (codes, numbers, defaults, timekeepers, plans, rates) as CSV.",
        discussion: """
            KIND is codes, numbers, defaults, timekeepers, plans or rates; each has the CSV columns \
            of DESIGN §6 (export writes them: smdr register export KIND shows the format).
            """,
        subcommands: [Import.self, Export.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a register CSV file: upsert its rows by key, all or nothing.",
            discussion: """
                The header names the kind's columns, each once, in any order. Every bad row is \
                reported as FILE:LINE: column NAME: what is wrong, what is expected; then nothing \
                of the file is applied. Import codes before the numbers and defaults that use \
                them, and add sites (smdr site add) before defaults and timekeepers name them; \
                import codes, timekeepers and plans before the rates that name them. A rate \
                assignment may not overlap another of the same client, matter, timekeeper and site.

                Exit status: 0 imported (or no change), 2 bad command line, file or rows, 3 database error.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "codes, numbers, defaults, timekeepers, plans or rates.") var kind: RegisterKind
        @Argument(help: "The CSV file (UTF-8, header row); - for standard input.") var file: String
        @Flag(help: "Show what would be added, changed and deactivated or removed, one line per row; change nothing.")
        var dryRun = false
        @Flag(
            help: """
                Make the register equal to the file: codes missing from it become inactive (never deleted: \
                history refers to them); numbers, defaults, timekeepers, plans and rates missing from it \
                are removed (not a plan or timekeeper a rate assignment still uses).
                """
        )
        var replace = false

        func run() async throws {
            do {
                let (kind, path, replace, dryRun) = (self.kind, self.file, self.replace, self.dryRun)
                let report = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 1) { store in
                    try await RegisterImport.run(kind: kind, path: path, replace: replace, dryRun: dryRun, store: store)
                }
                try FileDescriptorOutput.standardOutput(report)
            } catch let error as RegisterFileError {
                FileDescriptorOutput.standardError(error.description + "\n")
                throw ExitCode(ExitStatus.usage)
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the register's rows of one kind as CSV, sorted by key: importing it back changes nothing.",
            discussion: "Exit status: 0 written, 2 bad command line, 3 database error, 4 output not written."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "codes, numbers, defaults, timekeepers, plans or rates.") var kind: RegisterKind
        @Option(help: "Write to this file (replaced whole, only when complete) instead of standard output.")
        var output: String?

        func run() async throws {
            do {
                let kind = self.kind
                let bytes = try await PostgresStore.withOpened(try self.database.selection(), access: .readOnly, maximumConnections: 1) { store in
                    try await RegisterExport.run(kind: kind, store: store)
                }
                if let path = self.output {
                    do {
                        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
                    } catch {
                        throw CommandFailure.failure("cannot write '\(path)': \((error as NSError).localizedDescription)")
                    }
                } else {
                    let output = ByteOutput.standardOutput()
                    output.write(bytes: bytes)
                    try output.finish()
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }
}

/// The register's kinds, as the command line names them (`codes`, …, `rates`).
extension RegisterKind: ExpressibleByArgument {}
