import Foundation
import SMDRTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `smdr web` and `smdr serve --web`: the real binary on a real socket.
@Suite struct WebCommandTests {
    /// The URL of `smdr web: listening on http://HOST:PORT` in `output`.
    static func listeningURL(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("smdr web: listening on ") }) else { return nil }
        return String(line.dropFirst("smdr web: listening on ".count))
    }

    /// GET over a real TCP connection (URLSession), without following redirects' cookies.
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func webPrintsTheBoundAddressAnswersAndStopsOnSIGTERM() async throws {
        try await TestDatabase.withDatabase { database in
            let web = try TestProcess(
                TestProcess.smdrExecutable, ["web", "--listen", "127.0.0.1:0", "--database", database.conninfo]
            )
            let output = try await web.waitForOutput(containing: "smdr web: listening on http://127.0.0.1:", timeout: .seconds(60))
            let url = try #require(Self.listeningURL(in: output))
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            #expect(port > 0)
            let signIn = try await Self.get(url + "/signin")
            #expect(signIn.status == 200)
            #expect(signIn.body.contains("Sign in to smdr"))

            // The same port again: exit 2, naming the flag.
            let second = try await TestProcess.run(
                TestProcess.smdrExecutable, ["web", "--listen", "127.0.0.1:\(port)", "--database", database.conninfo]
            )
            #expect(second.status == 2, "\(second.standardError)")
            #expect(second.standardError.contains("smdr web: --listen 127.0.0.1:\(port): address already in use"), "\(second.standardError)")

            web.signal(SIGTERM)
            #expect(try await web.waitForExit(timeout: .seconds(30)) == 0, "\(web.standardError)")
        }
    }

    @Test func webRefusesABadListenAddress() async throws {
        try await TestDatabase.withDatabase { database in
            for (value, message) in [("8080", "--listen: expected HOST:PORT"), ("off", "--listen off")] {
                let output = try await TestProcess.run(
                    TestProcess.smdrExecutable, ["web", "--listen", value, "--database", database.conninfo]
                )
                #expect(output.status == 2, "\(value): \(output.standardError)")
                #expect(output.standardError.contains(message), "\(value): \(output.standardError)")
            }
        }
    }

    @Test func serveRunsTheWebAppOnWebAndNotWithOff() async throws {
        try await TestDatabase.withDatabase { database in
            try await withTemporaryDirectory { directory in
                for name in ["a", "b", "c"] { try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true) }
                let common = [
                    "serve", "--database", database.conninfo, "--listen", "127.0.0.1:0", "--admin", "off", "--rate-interval", "off",
                ]
                let with = try TestProcess(TestProcess.smdrExecutable, common + ["--data-dir", directory + "/a", "--web", "127.0.0.1:0"])
                let output = try await with.waitForOutput(containing: "smdr web: listening on http://127.0.0.1:", timeout: .seconds(60))
                let url = try #require(Self.listeningURL(in: output))
                let signIn = try await Self.get(url + "/signin")
                #expect(signIn.status == 200)

                // Its port taken: serve fails fast (exit 2) rather than collect without the app.
                let address = String(url.dropFirst("http://".count))
                let taken = try await TestProcess.run(
                    TestProcess.smdrExecutable, common + ["--data-dir", directory + "/c", "--web", address]
                )
                #expect(taken.status == 2, "\(taken.standardError)")
                #expect(taken.standardError.contains("smdr serve: --web \(address): address already in use"), "\(taken.standardError)")

                with.signal(SIGTERM)
                #expect(try await with.waitForExit(timeout: .seconds(30)) == 0, "\(with.standardError)")

                let without = try TestProcess(TestProcess.smdrExecutable, common + ["--data-dir", directory + "/b", "--web", "off"])
                try await without.waitForOutput(containing: "smdr serve ready", timeout: .seconds(60))
                #expect(!without.standardError.contains("smdr web: listening"))
                without.signal(SIGTERM)
                #expect(try await without.waitForExit(timeout: .seconds(30)) == 0, "\(without.standardError)")
            }
        }
    }
}
