import Foundation
import SMDRCore
import SMDRPostgres
import SMDRTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How `smdr serve` ends what it receives: a connection that stops mid-record. Real processes,
/// real loopback sockets, real PostgreSQL.
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

    // MARK: - Helpers

    private static func send(_ bytes: [UInt8], to socket: Int32) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try #require(sent == bytes.count)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
