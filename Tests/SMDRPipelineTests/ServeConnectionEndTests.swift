import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How `smdr serve` ends what it receives: a connection that stops mid-record, a shutdown that
/// runs out of time while lines wait for journal room, and a second instance on the same data
/// directory. Real processes, real loopback sockets, real PostgreSQL.
@Suite(.timeLimit(.minutes(10)))
struct ServeConnectionEndTests {
    /// The PBX stops in the middle of a record (a clean close, or a reset), reconnects and sends
    /// the record again whole: one leg, and the fragment kept verbatim as a rejected raw record.
    @Test(arguments: [false, true])
    func aHalfSentRecordIsStoredRejectedAsUnterminatedNotAsALeg(reset: Bool) async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let server = try await harness.start()
            var generator = StreamGenerator(seed: 8, width: 35)
            let record = generator.nextLine()
            // The first 20 fields and the comma after them: 21 values, a width the parser accepts.
            let commas = record.indices.filter { record[$0] == UInt8(ascii: ",") }
            let fragment = Array(record[...commas[19]])

            let first = try HTTPProbe.connect(port: server.listenPort)
            try Self.send(fragment, to: first)
            if reset {
                try await Task.sleep(for: .milliseconds(300))  // the server has read the fragment
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(first, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            }
            close(first)  // with SO_LINGER 0: RST instead of FIN
            let second = try HTTPProbe.connect(port: server.listenPort)
            try Self.send(record + [0x0D, 0x0A], to: second)
            close(second)

            try await harness.waitForRawRecords(2, timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(500))  // nothing more is coming
            let connection = try database.connect()
            let rows = try connection.execute(
                "SELECT coalesce(parse_error, ''), encode(line, 'hex') FROM smdr.raw_record ORDER BY parse_error NULLS FIRST"
            )
            #expect(rows.count == 2)
            #expect(rows.first?[0].string == "" && rows.first?[1].string == Self.hex(record))
            #expect(rows.last?[0].string == "unterminated" && rows.last?[1].string == Self.hex(fragment))
            let legs = try connection.execute("SELECT leg_ordinal FROM smdr.call_leg")
            #expect(legs.map { $0[0].int } == [1], "one call, one leg")

            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit(timeout: .seconds(60)) == 0)
            let log = try String(contentsOfFile: server.process.standardErrorPath, encoding: .utf8)
            #expect(log.contains("fragment is journaled as unterminated"))
        }
    }

    /// The connection ends after the whole record but before its CR LF: the fragment has the
    /// record's exact bytes. Kept apart from the whole line (in the unparsed month), it must not
    /// make the record, sent again whole, a duplicate without a leg.
    @Test func aRecordCutJustBeforeItsLineEndIsLoadedWhenSentAgain() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let server = try await harness.start()
            var generator = StreamGenerator(seed: 9, width: 35)
            let record = generator.nextLine()

            let first = try HTTPProbe.connect(port: server.listenPort)
            try Self.send(record, to: first)
            close(first)
            try await harness.waitForRawRecords(1, timeout: .seconds(60))
            let second = try HTTPProbe.connect(port: server.listenPort)
            try Self.send(record + [0x0D, 0x0A], to: second)
            close(second)
            try await harness.waitForRawRecords(2, timeout: .seconds(60))

            let connection = try database.connect()
            let rows = try connection.execute(
                "SELECT coalesce(parse_error, ''), call_month::text, encode(line, 'hex') FROM smdr.raw_record ORDER BY parse_error NULLS FIRST"
            )
            #expect(rows.map { $0[0].string } == ["", "unterminated"])
            #expect(rows.allSatisfy { $0[2].string == Self.hex(record) }, "both hold the record's bytes")
            #expect(rows.last?[1].string == "0001-01-01")
            #expect(try connection.execute("SELECT count(*) FROM smdr.call_leg")[0][0].int == 1)

            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit(timeout: .seconds(60)) == 0)
        }
    }

    /// The journal is full (the loader is blocked), lines wait in the connection and in the
    /// socket, and the shutdown grace period runs out: every byte the kernel acknowledged to the
    /// peer is journaled anyway and loaded after the restart.
    @Test func linesReceivedWhenTheGracePeriodRunsOutAreJournaledNotDropped() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(
                database: database,
                extraArguments: [
                    "--journal-segment-bytes", "4KiB", "--journal-max-bytes", "8KiB",
                    "--max-buffered-lines", "4", "--shutdown-grace", "1s",
                ]
            )
            try harness.addSite()
            var server = try await harness.start()

            // Block the loader: nothing is loaded, so no journal segment is released.
            let blocker = try database.connect()
            _ = try blocker.execute("BEGIN")
            _ = try blocker.execute("LOCK TABLE smdr.raw_record IN ACCESS EXCLUSIVE MODE")

            var generator = StreamGenerator(seed: 77, width: 35)
            let lines = (0..<20_000).map { _ in generator.nextLine() }
            let peer = try HTTPProbe.connect(port: server.listenPort)
            defer { close(peer) }
            _ = fcntl(peer, F_SETFL, fcntl(peer, F_GETFL) | O_NONBLOCK)
            // Write until the socket takes no more: the server's journal is full, its connection
            // buffer is full, and TCP pushes back.
            var stream: [UInt8] = []
            for line in lines { stream += line + [0x0D, 0x0A] }
            var written = 0
            var stalled = ContinuousClock.now
            while written < stream.count, ContinuousClock.now - stalled < .seconds(2) {
                let count = stream[written...].withUnsafeBytes { Glibc.send(peer, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count > 0 {
                    written += count
                    stalled = .now
                } else {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            try await Task.sleep(for: .milliseconds(500))  // what the server's kernel will take, it has taken
            var unacknowledged: Int32 = 0
            #expect(ioctl(peer, UInt(TIOCOUTQ), &unacknowledged) == 0)
            let acknowledged = written - Int(unacknowledged)
            // Far more than fits in the journal and the connection's buffer.
            #expect(acknowledged > 50_000, "acknowledged \(acknowledged) of \(written) written")

            server.process.signal(SIGTERM)
            try await Task.sleep(for: .seconds(4))  // the grace period ran out; the listener is done
            _ = try blocker.execute("ROLLBACK")
            #expect(try await server.process.waitForExit(timeout: .seconds(60)) == 0)
            let log = try String(contentsOfFile: server.process.standardErrorPath, encoding: .utf8)
            #expect(!log.contains("remaining connections were cancelled"))

            // Every line the kernel acknowledged in full is loaded after the restart.
            var end = 0
            var expected = Set<[UInt8]>()
            for line in lines {
                end += line.count + 2
                if end > acknowledged { break }
                expected.insert(line)
            }
            server = try await harness.start()
            try await harness.waitForRawRecords(expected.count, timeout: .seconds(120))
            var stored = Set<[UInt8]>()
            for row in try database.connect().execute("SELECT encode(line, 'hex') FROM smdr.raw_record") {
                stored.insert(Self.bytes(hex: row[0].string ?? ""))
            }
            let missing = expected.subtracting(stored)
            #expect(missing.isEmpty, "\(missing.count) of \(expected.count) acknowledged lines are missing")
            let counts = try harness.counts()
            #expect(counts.raw == counts.distinct)
            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit(timeout: .seconds(60)) == 0)
        }
    }

    /// A second `smdr serve` on the same data directory exits 2 at once, naming the first one's
    /// PID; after the first is killed with -9, a new one starts (the kernel released the lock).
    @Test func aSecondServeOnTheSameDataDirectoryRefusesToStart() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let first = try await harness.start()
            let pid = first.process.processIdentifier

            let second = try TestProcess(
                TestProcess.smdrExecutable,
                [
                    "serve", "--database", harness.conninfo, "--data-dir", harness.dataDirectory,
                    "--listen", "127.0.0.1:0", "--admin", "off",
                ]
            )
            #expect(try await second.waitForExit(timeout: .seconds(30)) == 2)
            let message = try String(contentsOfFile: second.standardErrorPath, encoding: .utf8)
            #expect(message.contains("in use by smdr serve (PID \(pid))"), "\(message)")
            #expect(message.contains(harness.dataDirectory + "/serve.lock"))
            let journalLock = try String(contentsOfFile: harness.dataDirectory + "/journal/hq/lock", encoding: .utf8)
            #expect(journalLock == "\(pid)\n")

            // The first one still works: the second touched nothing.
            let capture = try harness.generate(lines: 50, seed: 4)
            #expect(try await harness.replay(capture.path, port: first.listenPort).status == 0)
            try await harness.waitForRawRecords(50, timeout: .seconds(60))

            first.process.signal(SIGKILL)
            _ = try await first.process.waitForExit()
            let third = try await harness.start()
            third.process.signal(SIGTERM)
            #expect(try await third.process.waitForExit(timeout: .seconds(60)) == 0)
            #expect(try harness.counts().raw == 50)
        }
    }

    // MARK: - Helpers

    private static func send(_ bytes: [UInt8], to socket: Int32) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try #require(sent == bytes.count)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
