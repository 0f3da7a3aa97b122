import ArgumentParser
import Logging
import SMDRListener
import SMDRPipeline
import SMDRSimulation


/// `smdr replay FILE --to HOST:PORT | --listen PORT`: a fake IP Office for tests and demos.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Act as an IP Office: send the SMDR lines of a capture file over TCP.",
        discussion: """
            With --to, behaves like an IP Office in send mode and connects to a collector. With \
            --listen, behaves like one in listen mode and waits for collectors to connect. Each \
            line is sent with CR LF. Prints a one-line summary to standard error and exits 0 \
            when every line was written and the connections closed cleanly.
            """
    )

    @Argument(help: "SMDR capture file, one record per line.", completion: .file())
    var file: String

    @Option(name: .customLong("to"), help: ArgumentHelp("Connect to a collector.", valueName: "host:port"))
    var target: String?

    @Option(name: .customLong("listen"), help: ArgumentHelp("Wait for collectors on this port.", valueName: "[host:]port"))
    var listenAddress: String?

    @Option(help: "Spread the lines round-robin over this many connections.")
    var connections: Int = 1

    @Option(help: "Lines per second over all connections (0: as fast as possible).")
    var rate: Int = 0

    @Flag(help: "Split each record across two writes at a random point.")
    var splitWrites = false

    @Option(help: "Seed of the random split points.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (self.target == nil) != (self.listenAddress == nil) else {
            throw ValidationError("Give exactly one of --to HOST:PORT and --listen PORT.")
        }
        if let target = self.target, Endpoint(target) == nil {
            throw ValidationError("--to needs HOST:PORT (an IPv6 address in brackets: [::1]:5100), not '\(target)'.")
        }
        if let listenAddress = self.listenAddress, Self.listenEndpoint(listenAddress) == nil {
            throw ValidationError("--listen needs PORT or HOST:PORT, not '\(listenAddress)'.")
        }
        guard self.connections >= 1 else { throw ValidationError("--connections must be at least 1.") }
        guard self.rate >= 0 else { throw ValidationError("--rate must be 0 or more.") }
    }

    func run() async throws {
        var configuration = ReplayConfiguration()
        configuration.connections = self.connections
        configuration.linesPerSecond = self.rate
        configuration.splitsWrites = self.splitWrites
        configuration.seed = self.seed
        var logger = Logger(label: "smdr.replay")
        logger.logLevel = .warning
        let path = self.file
        let replayer = Replayer(
            name: path,
            open: {
                let input = try await ByteInput.open(path: path)
                return { try await input.nextChunk() }
            },
            configuration: configuration,
            logger: logger
        )
        do {
            let summary: ReplaySummary
            if let target = self.target {
                summary = try await replayer.send(to: Endpoint(target)!)
            } else {
                summary = try await replayer.serve(on: Self.listenEndpoint(self.listenAddress!)!) { endpoint in
                    FileDescriptorOutput.standardError("smdr replay: listening on \(endpoint)\n")
                }
            }
            FileDescriptorOutput.standardError("smdr replay: \(summary)\n")
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    /// `PORT` alone listens on every IPv4 interface.
    static func listenEndpoint(_ text: String) -> Endpoint? {
        if let port = Int(text), (0...65535).contains(port) { return Endpoint(host: "0.0.0.0", port: port) }
        return Endpoint(text)
    }
}
