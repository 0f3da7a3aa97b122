import SMDRReports
import Testing

/// The register's CSV: hostile cells read back exactly, bad files fail naming the line.
@Suite struct CSVTests {
    private static func read(_ text: String) throws(CSVError) -> [CSVRecord] {
        try CSVReader.records(Array(text.utf8))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let records: [CSVRecord]
        var testDescription: String { self.name }
    }

    static let readCases: [Case] = [
        Case(name: "LF", text: "a,b\n1,2\n", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["1", "2"])]),
        Case(name: "CRLF", text: "a,b\r\n1,2\r\n", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["1", "2"])]),
        Case(name: "CR", text: "a,b\r1,2\r", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["1", "2"])]),
        Case(name: "no final line end", text: "a,b\n1,2", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["1", "2"])]),
        Case(name: "BOM", text: "\u{FEFF}code,x\n1,2\n", records: [.init(line: 1, fields: ["code", "x"]), .init(line: 2, fields: ["1", "2"])]),
        Case(
            name: "empty trailing fields", text: "a,b,c\n1,,\n",
            records: [.init(line: 1, fields: ["a", "b", "c"]), .init(line: 2, fields: ["1", "", ""])]
        ),
        Case(
            name: "quoted comma, quote, CRLF and LF; record line is where it starts",
            text: "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\r\nlines\",\"and\nthree\nlines\"\nlast,1\n",
            records: [
                .init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["x, y", "say \"hi\""]),
                .init(line: 3, fields: ["two\r\nlines", "and\nthree\nlines"]), .init(line: 7, fields: ["last", "1"]),
            ]
        ),
        Case(
            name: "formula cells are plain text", text: "a,b\n=cmd|' /C calc'!A0,@SUM(1+1)\n",
            records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["=cmd|' /C calc'!A0", "@SUM(1+1)"])]
        ),
        Case(
            name: "quote inside an unquoted field is a character", text: "a\n5\" floppy\n",
            records: [.init(line: 1, fields: ["a"]), .init(line: 2, fields: ["5\" floppy"])]
        ),
        Case(
            name: "empty lines are no records; \"\" is one empty field", text: "a\n\n\"\"\n\r\nb\n",
            records: [.init(line: 1, fields: ["a"]), .init(line: 3, fields: [""]), .init(line: 5, fields: ["b"])]
        ),
        Case(name: "non-ASCII", text: "name\nZürich – Straße\n", records: [.init(line: 1, fields: ["name"]), .init(line: 2, fields: ["Zürich – Straße"])]),
    ]

    @Test(arguments: Self.readCases)
    func reads(_ testCase: Case) throws {
        #expect(try Self.read(testCase.text) == testCase.records)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let error: CSVError
        var testDescription: String { self.name }
    }

    static let failures: [Failure] = [
        Failure(name: "unterminated quote", bytes: Array("a,b\n1,2\n3,\"open\n4,5\n".utf8), error: CSVError(line: 3, problem: .unterminatedQuote)),
        Failure(name: "text after closing quote", bytes: Array("a\n\"x\"y\n".utf8), error: CSVError(line: 2, problem: .textAfterClosingQuote)),
        Failure(
            name: "invalid UTF-8 (Latin-1 é) names its line",
            bytes: Array("a,b\r\n1,2\r\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x2C, 0x33, 0x0D, 0x0A],
            error: CSVError(line: 3, problem: .invalidUTF8)
        ),
        Failure(
            name: "invalid UTF-8 inside a quoted multi-line field names the physical line",
            bytes: Array("a\n\"x\ny".utf8) + [0xFF] + Array("\"\n".utf8), error: CSVError(line: 3, problem: .invalidUTF8)
        ),
        Failure(
            name: "field too long",
            bytes: Array("a\nok\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: CSVDialect.maximumFieldBytes + 1),
            error: CSVError(line: 3, problem: .fieldTooLong)
        ),
        Failure(
            name: "too many columns", bytes: Array(("a\n" + String(repeating: ",", count: CSVDialect.maximumColumns)).utf8),
            error: CSVError(line: 2, problem: .tooManyColumns)
        ),
    ]

    @Test(arguments: Self.failures)
    func failsNamingTheLine(_ failure: Failure) {
        #expect(throws: failure.error) { try CSVReader.records(failure.bytes) }
    }

    @Test func fieldOfExactlyTheLimitAndExactlyTheColumnLimitAreRead() throws {
        let long = String(repeating: "x", count: CSVDialect.maximumFieldBytes)
        #expect(try Self.read("a\n" + long + "\n").last?.fields == [long])
        let wide = String(repeating: ",", count: CSVDialect.maximumColumns - 1)
        #expect(try Self.read("a\n" + wide + "\n").last?.fields.count == CSVDialect.maximumColumns)
    }

    @Test func writerQuotesOnlyWhenNeededAndEndsLinesWithCRLF() {
        let bytes = CSVWriter.write([["code", "note"], ["4100", "plain"], ["x,y", "say \"hi\""], ["a\nb", ""], [""]])
        #expect(String(decoding: bytes, as: UTF8.self) == "code,note\r\n4100,plain\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"a\nb\",\r\n\"\"\r\n")
    }

    static let hostile: [[String]] = [
        ["code", "description", "note"],
        ["=cmd|' /C calc'!A0", "+SUM(A1)", "-1"],
        ["\"quoted\"", "line\r\nbreak", "cr\ronly"],
        ["\u{FEFF}bom inside", "", ""],
        ["", "", "trailing"],
        ["tab\there", " spaced ", "emoji 📞"],
    ]

    @Test func writeThenReadRoundTripsHostileCells() throws {
        let bytes = CSVWriter.write(Self.hostile)
        let records = try CSVReader.records(bytes)
        #expect(records.map(\.fields) == Self.hostile)
        #expect(CSVWriter.write(records.map(\.fields)) == bytes)
    }

    @Test func leadingBOMInTheFirstCellSurvivesARoundTrip() throws {
        let rows = [["\u{FEFF}x", "y"]]
        #expect(try CSVReader.records(CSVWriter.write(rows)).map(\.fields) == rows)
    }

    @Test func tenThousandRowsWithQuotedLineBreaksKeepTheirLineNumbers() throws {
        var rows: [[String]] = [["n", "text"]]
        for row in 0..<10_000 { rows.append([String(row), row % 3 == 0 ? "two\nlines, \"q\"" : "one"]) }
        let records = try CSVReader.records(CSVWriter.write(rows))
        #expect(records.map(\.fields) == rows)
        // Data row k starts after the header and the extra line of every third row before it.
        let lines = records.dropFirst().enumerated().map { $0.element.line - (2 + $0.offset + ($0.offset + 2) / 3) }
        #expect(lines.allSatisfy { $0 == 0 })
    }
}
