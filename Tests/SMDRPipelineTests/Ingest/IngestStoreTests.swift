import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

@Suite(.timeLimit(.minutes(3)))
struct IngestStoreTests {
    @Test func ingestingTheSameFileTwiceAddsNothing() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                var configuration = FileIngestor.Configuration()
                configuration.maximumBatchLines = 700  // several batches
                let writer = try await makeWriter(store)
                let path = try temporaryFile(generatedStream(lines: 3000))
                defer { try? FileManager.default.removeItem(atPath: path) }

                let first = try await FileIngestor(store: writer, configuration: configuration).ingest(paths: [path])
                #expect(first.counts.read == 3000)
                #expect(first.counts.new == 3000)
                #expect(first.counts.duplicate == 0)
                #expect(first.counts.rejected == 0)
                let raw = try await count(store, "SELECT count(*) FROM smdr.raw_record")
                let legs = try await count(store, "SELECT count(*) FROM smdr.call_leg")
                #expect(raw == 3000)
                #expect(legs == 3000)
                #expect(try await count(store, "SELECT count(*) FROM ONLY smdr.raw_record_default") == 0)

                let second = try await FileIngestor(store: writer, configuration: configuration).ingest(paths: [path])
                #expect(second.counts == IngestCounts(read: 3000, new: 0, duplicate: 3000, rejected: 0))
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == raw)
                #expect(try await count(store, "SELECT count(*) FROM smdr.call_leg") == legs)

                // A fresh writer (no memory of the first run) takes the fast path first and falls back.
                let fresh = try await makeWriter(store)
                let third = try await FileIngestor(store: fresh, configuration: configuration).ingest(paths: [path])
                #expect(third.counts.new == 0)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == raw)
            }
        }
    }

    @Test func concurrentOverlappingIngestsStoreEachLineOnce() async throws {
        try await TestDatabase.withDatabase { database in
            let stream = generatedStream(lines: 4000, seed: 11)
            var lines: [[UInt8]] = []
            var framer = LineFramer()
            framer.append(stream) { lines.append($0.bytes) }
            // Two "processes" (separate stores) load overlapping halves at the same time.
            let first = Array(lines[0..<3000])
            let second = Array(lines[1000..<4000])
            let results = try await withThrowingTaskGroup(of: IngestCounts.self) { group in
                for (index, part) in [first, second].enumerated() {
                    group.addTask {
                        try await database.withStore(maximumConnections: 1) { store in
                            let writer = try await makeWriter(store)
                            let source = IngestSource.file("part\(index)")
                            return try await writer.write(ingestLines(part), source: source, batchLines: 500)
                        }
                    }
                }
                return try await group.reduce(into: [IngestCounts]()) { $0.append($1) }
            }
            #expect(results.map(\.new).reduce(0, +) == 4000)
            #expect(results.map(\.duplicate).reduce(0, +) == 2000)
            try await database.withStore { store async throws in
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 4000)
                #expect(try await count(store, "SELECT count(*) FROM smdr.call_leg") == 4000)
                #expect(try await count(store, "SELECT count(DISTINCT sha256) FROM smdr.raw_record") == 4000)
                // Leg ordinals of every call are 1…n without gaps or repeats.
                #expect(
                    try await count(
                        store,
                        """
                        SELECT count(*) FROM (
                            SELECT call_id, call_start_local, array_agg(leg_ordinal ORDER BY leg_ordinal) AS ordinals, count(*) AS n
                            FROM smdr.call_leg GROUP BY 1, 2) calls
                        WHERE ordinals <> (SELECT array_agg(i) FROM generate_series(1, n::int) AS i)
                        """
                    ) == 0
                )
            }
        }
    }

    @Test func aFileThenTheSameLinesFromAPeerDedupe() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let lines = (0..<50).map { smdrLine(callID: 1_000_000 + $0) }
                let path = try temporaryFile(lines.flatMap { $0 + [13, 10] })
                defer { try? FileManager.default.removeItem(atPath: path) }
                let file = try await FileIngestor(store: writer).ingest(paths: [path])
                #expect(file.counts.new == 50)

                // The same lines arrive from the PBX, journaled; plus 10 new ones.
                let streamed = lines + (50..<60).map { smdrLine(callID: 1_000_000 + $0) }
                let peer = try await writer.write(
                    ingestLines(streamed),
                    source: .peer(stream: "pbx-1"),
                    checkpoint: JournalCheckpoint(stream: "pbx-1", expected: nil, offset: 6_000)
                )
                #expect(peer == IngestCounts(read: 60, new: 10, duplicate: 50, rejected: 0))
                #expect(try await writer.checkpoint(stream: "pbx-1") == 6_000)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record WHERE source_kind = 'file'") == 50)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record WHERE source_kind = 'peer'") == 10)

                // A batch that does not start at the stored checkpoint (an older part of the
                // journal) commits nothing and never moves the checkpoint.
                let newLine = smdrLine(callID: 2_000_000)
                await #expect(throws: JournalCheckpointConflict(stream: "pbx-1", expected: 0, stored: 6_000)) {
                    try await writer.write(
                        ingestLines(Array(streamed[0..<5]) + [newLine]),
                        source: .peer(stream: "pbx-1"),
                        checkpoint: JournalCheckpoint(stream: "pbx-1", expected: 0, offset: 500)
                    )
                }
                #expect(try await writer.checkpoint(stream: "pbx-1") == 6_000)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 60)
                #expect(try await writer.checkpoint(stream: "other") == nil)
            }
        }
    }

    @Test func checkpointCommitsWithTheRowsOrNotAtAll() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                _ = try await writer.write(
                    ingestLines([smdrLine()]),
                    source: .peer(stream: "s"),
                    checkpoint: JournalCheckpoint(stream: "s", expected: nil, offset: 100)
                )
                // Make the next load fail inside its transaction: the checkpoint must not move.
                _ = try await store.withConnection { connection in
                    try connection.execute("ALTER TABLE smdr.journal_checkpoint ADD CONSTRAINT small CHECK (loaded_offset < 150)")
                }
                await #expect(throws: PostgresError.self) {
                    try await writer.write(
                        ingestLines([smdrLine(callID: 42)]),
                        source: .peer(stream: "s"),
                        checkpoint: JournalCheckpoint(stream: "s", expected: 100, offset: 200)
                    )
                }
                #expect(try await writer.checkpoint(stream: "s") == 100)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 1)
            }
        }
    }

    /// A batch lost in a crash (its asynchronous commit never reached disk) must not be
    /// skipped: the next batch expects the lost batch's end, the stored checkpoint is its start,
    /// so the next batch commits nothing and says where to resume.
    @Test func checkpointIsACompareAndSetOnTheBatchStart() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                _ = try await writer.write(
                    ingestLines([smdrLine(callID: 1)]), source: .peer(stream: "s"),
                    checkpoint: JournalCheckpoint(stream: "s", expected: nil, offset: 100)
                )
                // A second "first" batch: a checkpoint exists already.
                await #expect(throws: JournalCheckpointConflict(stream: "s", expected: nil, stored: 100)) {
                    try await writer.write(
                        ingestLines([smdrLine(callID: 2)]), source: .peer(stream: "s"),
                        checkpoint: JournalCheckpoint(stream: "s", expected: nil, offset: 200)
                    )
                }
                // Batch 100..<200 was "lost"; batch 200..<300 arrives.
                await #expect(throws: JournalCheckpointConflict(stream: "s", expected: 200, stored: 100)) {
                    try await writer.write(
                        ingestLines([smdrLine(callID: 3)]), source: .peer(stream: "s"),
                        checkpoint: JournalCheckpoint(stream: "s", expected: 200, offset: 300)
                    )
                }
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 1)
                #expect(try await count(store, "SELECT count(*) FROM smdr.call_leg") == 1)
                // Resuming from the stored checkpoint works, and a flush reports it as durable.
                _ = try await writer.write(
                    ingestLines([smdrLine(callID: 2), smdrLine(callID: 3)]), source: .peer(stream: "s"),
                    checkpoint: JournalCheckpoint(stream: "s", expected: 100, offset: 300)
                )
                #expect(try await writer.flush(stream: "s") == 300)
                #expect(try await writer.flush(stream: "other") == nil)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 3)
            }
        }
    }

    /// Names with quotes, backslashes, tabs, `\N`, CR, Cyrillic and invalid UTF-8.
    static let nastyNames: [[UInt8]] = [
        Array("O'Brien \"The Boss\"".utf8),
        Array("back\\slash \\N and \\t".utf8),
        Array("tab\there".utf8),
        Array("carriage\rreturn".utf8),
        Array("Тароватова М".utf8),
        Array("Zoë Ångström ".utf8),
        Array("bad ".utf8) + [0xFF, 0xFE] + Array(" utf8".utf8),
        Array("\\".utf8),
    ]

    @Test func nastyNamesRoundTripByteExact() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let lines = Self.nastyNames.enumerated().map { index, name in
                    Array("2024/06/28 09:28:41,00:01:10,9,8004206,I,4324,4324,,0,\(2_000_000 + index),0,E4324,".utf8)
                        + name + Array(",T9161,LINE 5.1,0,0".utf8)
                }
                let counts = try await writer.write(ingestLines(lines), source: .peer(stream: "nasty"))
                #expect(counts == IngestCounts(read: lines.count, new: lines.count, duplicate: 0, rejected: 0))
                let rows = try await store.withConnection { connection in
                    try connection.execute(
                        """
                        SELECT r.line, l.party1_name, l.has_invalid_utf8
                        FROM smdr.raw_record r JOIN smdr.call_leg l
                          ON l.site_id = r.site_id AND l.call_month = r.call_month AND l.raw_sha256 = r.sha256
                        ORDER BY l.call_id
                        """
                    )
                }
                #expect(rows.count == lines.count)
                for (index, name) in Self.nastyNames.enumerated() {
                    #expect(rows[index][0].bytea == lines[index], "raw line \(index)")
                    let repaired = String(decoding: name, as: UTF8.self)
                    #expect(rows[index][1].string == repaired, "name \(index)")
                    #expect(rows[index][2].bool == (repaired.utf8.elementsEqual(name) ? false : true))
                }
            }
        }
    }

    @Test func rejectedLinesAreStoredWithTheirError() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let good = smdrLine()
                let badDate = Array("2024/13/28 09:28:41".utf8) + good.dropFirst(19)
                let tooFew = Array("2024/06/28 09:28:41,00:00:10,9".utf8)
                let garbage: [UInt8] = [0xFF, 0x00, 0x41, 0x0D]
                var lines = ingestLines([good, badDate, tooFew, garbage])
                lines.append(IngestLine(bytes: Array(good.prefix(30)), isTruncated: true, position: 5, receivedAt: Date()))
                let counts = try await writer.write(lines, source: .file("rejects.txt"))
                #expect(counts == IngestCounts(read: 5, new: 5, duplicate: 0, rejected: 4, newRejected: 4))
                let rows = try await store.withConnection { connection in
                    try connection.execute(
                        """
                        SELECT source_position, parse_error, parse_error_field, parse_error_offset, is_truncated,
                               call_month::text, line,
                               EXISTS (SELECT FROM smdr.call_leg l WHERE l.raw_sha256 = r.sha256) AS has_leg
                        FROM smdr.raw_record r ORDER BY source_position
                        """
                    )
                }
                #expect(rows.count == 5)
                #expect(rows[0]["parse_error"].isNull)
                #expect(rows[0]["has_leg"].bool == true)
                #expect(rows[1]["parse_error"].string == "invalidDate")
                #expect(rows[1]["parse_error_field"].int == 1)
                #expect(rows[1]["parse_error_offset"].int == 5)
                #expect(rows[1]["call_month"].string == "0001-01-01")  // month 13 is not a month
                #expect(rows[2]["parse_error"].string == "tooFewFields")
                #expect(rows[2]["call_month"].string == "2024-06-01")
                #expect(rows[3]["line"].bytea == garbage)
                #expect(rows[3]["call_month"].string == "0001-01-01")
                #expect(rows[4]["parse_error"].string == "lineTooLong")
                #expect(rows[4]["is_truncated"].bool == true)
                for row in rows.dropFirst() { #expect(row["has_leg"].bool == false) }

                // Rejected lines dedupe like any other.
                let again = try await writer.write(lines, source: .file("rejects.txt"))
                #expect(again == IngestCounts(read: 5, new: 0, duplicate: 5, rejected: 4))
            }
        }
    }

    /// `raw_record` is written in binary `COPY`: the arrival instant keeps its microseconds, a
    /// journal offset past 32 bits and the source survive, and the key is PostgreSQL's own SHA-256.
    @Test func rawRecordKeepsArrivalTimeAndSourceExactly() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let line = smdrLine(start: "1999/12/31 23:59:59")
                let arrival = Date(timeIntervalSince1970: 1_719_567_000.123456)
                let entry = IngestLine(bytes: line, position: 1 << 40, receivedAt: arrival)
                _ = try await writer.write([entry], source: .peer(stream: "journal/Ω-1"))
                let row = try await store.withConnection { connection in
                    try connection.execute(
                        """
                        SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), source_position,
                               source_kind, source_name, call_month::text, sha256 = sha256(line), line
                        FROM smdr.raw_record
                        """
                    )[0]
                }
                #expect(row[0].string == "2024-06-28 09:30:00.123456")
                #expect(row[1].int == 1 << 40)
                #expect(row[2].string == "peer")
                #expect(row[3].string == "journal/Ω-1")
                #expect(row[4].string == "1999-12-01")
                #expect(row[5].bool == true)
                #expect(row[6].bytea == line)
            }
        }
    }

    /// A line saved with a UTF-8 byte order mark parses, but its bytes do not start with a date:
    /// its raw record goes to the unparsed month, its leg to the default partition, and the
    /// ordinals of its call are found there.
    @Test func aLineWithAByteOrderMarkLoadsWithItsLeg() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                let first = bom + smdrLine(callID: 9, start: "2024/06/28 10:00:00", name: "First", continued: true)
                let second = bom + smdrLine(callID: 9, start: "2024/06/28 10:00:00", name: "Second")
                let a = try await writer.write(ingestLines([first]), source: .file("bom.txt"))
                let b = try await writer.write(ingestLines([second]), source: .file("bom.txt"))
                #expect(a == IngestCounts(read: 1, new: 1, duplicate: 0, rejected: 0))
                #expect(b == IngestCounts(read: 1, new: 1, duplicate: 0, rejected: 0))
                let legs = try await store.withConnection { connection in
                    try connection.execute(
                        "SELECT tableoid::regclass::text, party1_name, leg_ordinal FROM smdr.call_leg ORDER BY leg_ordinal"
                    ).map { "\($0[0].string!) \($0[1].string!) \($0[2].int!)" }
                }
                #expect(legs == ["smdr.call_leg_default First 1", "smdr.call_leg_default Second 2"])
            }
        }
    }

    @Test func legOrdinalsContinueAcrossBatchesAndRepeatsInABatchCountOnce() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let start = "2024/06/28 10:00:00"
                let leg1 = smdrLine(callID: 7, start: start, name: "First", continued: true)
                let leg2 = smdrLine(callID: 7, start: start, name: "Second", continued: true)
                let leg3 = smdrLine(callID: 7, start: start, name: "Third")
                let other = smdrLine(callID: 8, start: start, name: "Other")
                let a = try await writer.write(ingestLines([leg1, other, leg1]), source: .peer(stream: "s"))
                #expect(a == IngestCounts(read: 3, new: 2, duplicate: 1, rejected: 0))
                _ = try await writer.write(ingestLines([leg1, leg2]), source: .peer(stream: "s"))  // merge path
                _ = try await writer.write(ingestLines([leg3]), source: .peer(stream: "s"))
                let ordinals = try await store.withConnection { connection in
                    try connection.execute(
                        "SELECT party1_name, leg_ordinal FROM smdr.call_leg WHERE call_id = 7 ORDER BY leg_ordinal"
                    ).map { "\($0[0].string!)=\($0[1].int!)" }
                }
                #expect(ordinals == ["First=1", "Second=2", "Third=3"])
            }
        }
    }

    @Test func deltaServerHeaderLineIsSkippedAndDeferredCommitsAreFlushed() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                var configuration = IngestStore.Configuration()
                configuration.waitsForDurableCommit = false  // as smdr ingest runs
                let writer = try await makeWriter(store, configuration: configuration)
                let header = Array("Call Start,Call Duration,Ring Duration,Caller,Direction,Called Number".utf8)
                let path = try temporaryFile(header + [13, 10] + smdrLine() + [13, 10] + smdrLine(callID: 5))
                defer { try? FileManager.default.removeItem(atPath: path) }
                let summary = try await FileIngestor(store: writer).ingest(paths: [path])
                #expect(summary.headerLines == 1)
                #expect(summary.counts == IngestCounts(read: 2, new: 2, duplicate: 0, rejected: 0))
                #expect(try await count(store, "SELECT min(source_position) FROM smdr.raw_record") == 2)
            }
        }
    }

    @Test func sha256MatchesPostgreSQL() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                var lines = (0..<200).map { index in (0..<index).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) } + [1] }
                lines.append(Array(repeating: 0x61, count: 55))
                lines.append(Array(repeating: 0x61, count: 56))
                lines.append(Array(repeating: 0x61, count: 64))
                _ = try await writer.write(ingestLines(lines), source: .peer(stream: "hash"))
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record WHERE sha256 <> sha256(line)") == 0)
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == lines.count)
            }
        }
    }
}
