import ArgumentParser
import SMDRPipeline
import SMDRPostgres

/// `smdr rejects [--site NAME] [--since DATE] [--limit N]`: the stored lines that did not parse.
struct RejectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List stored rejected lines: site, arrival, source, error code, field, byte offset, the line.",
        discussion: """
            Reads smdr.raw_record (it never creates a database or a cluster). One line per rejected \
            record, oldest first, tab-separated: site, received_at, SOURCE:POSITION (file:PATH:LINE or \
            peer:STREAM:OFFSET), error code, field number (- if none), byte offset, and the line with \
            control bytes, backslashes and invalid UTF-8 shown as \\xNN escapes.

            Exit status: 0 listed (also when there are none), 2 usage error, 3 database error (also: no database yet).
            """
    )

    /// `--limit` when not given.
    static let defaultLimit = 100

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this site's rejected lines.")
    var site: String?

    @Option(help: "Only lines received at or after this time: YYYY-MM-DD or 'YYYY-MM-DD HH:MM[:SS]', in the database's time zone.")
    var since: String?

    @Option(help: "Most lines listed (default \(Self.defaultLimit)).")
    var limit: Int = Self.defaultLimit

    func validate() throws {
        guard self.limit > 0 else { throw ValidationError("--limit: expected a positive whole number, got \(self.limit)") }
        if let since, !Self.isTimestamp(since) {
            throw ValidationError("--since '\(since)': expected a date YYYY-MM-DD or a time 'YYYY-MM-DD HH:MM[:SS]'")
        }
    }

    func run() async throws {
        do {
            let selection = try self.database.selection()
            // Read only: an embedded cluster that does not exist or is stopped is reported, never
            // created or started (NoDatabaseError, exit 3).
            let (site, since, limit) = (self.site, self.since, self.limit)
            let text = try await PostgresStore.withOpened(selection, access: .readOnly, maximumConnections: 1) { store in
                try await store.withConnection { connection in
                    if let site {
                        let known = try connection.execute("SELECT name FROM smdr.site ORDER BY name").compactMap { $0[0].string }
                        guard known.contains(site) else {
                            throw CommandFailure.usage(
                                "--site '\(site)': no such site; known: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
                            )
                        }
                    }
                    let rows = try connection.execute(
                        """
                        SELECT s.name, r.received_at::text, r.source_kind, r.source_name, r.source_position,
                               r.parse_error, r.parse_error_field, r.parse_error_offset, r.line
                        FROM smdr.raw_record AS r JOIN smdr.site AS s ON s.id = r.site_id
                        WHERE r.parse_error IS NOT NULL
                          AND ($1::text IS NULL OR s.name = $1)
                          AND ($2::timestamptz IS NULL OR r.received_at >= $2::timestamptz)
                        ORDER BY r.received_at, r.source_name, r.source_position
                        LIMIT $3
                        """,
                        [site.map { .text($0) } ?? .null, since.map { .text($0) } ?? .null, .int(limit)]
                    )
                    return rows.map { row in
                        [
                            row[0].string ?? "", row[1].string ?? "",
                            "\(row[2].string ?? ""):\(row[3].string ?? ""):\(row[4].string ?? "")",
                            row[5].string ?? "", row[6].string ?? "-", row[7].string ?? "-",
                            Self.escaped(row[8].bytea ?? []),
                        ].joined(separator: "\t") + "\n"
                    }.joined()
                }
            }
            let output = ByteOutput.standardOutput()
            output.write(text)
            try output.finish()
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    /// `YYYY-MM-DD`, optionally followed by ` HH:MM` or ` HH:MM:SS` (or `T` instead of the space).
    static func isTimestamp(_ text: String) -> Bool {
        let digits = text.utf8.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") ? UInt8(ascii: "9") : $0 }
        let shape = String(decoding: digits, as: UTF8.self)
        return ["9999-99-99", "9999-99-99 99:99", "9999-99-99 99:99:99", "9999-99-99T99:99", "9999-99-99T99:99:99"]
            .contains(shape)
    }

    /// The line for a terminal: printable UTF-8 as is; control characters, backslash and bytes
    /// that are not valid UTF-8 as `\xNN`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        func escape(_ byte: UInt8) {
            let digits = Array("0123456789abcdef")
            text += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
            if length > 0, index + length <= bytes.count,
                let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)?.unicodeScalars.first,
                scalar.properties.generalCategory != .control, scalar != "\\"
            {
                text.unicodeScalars.append(scalar)
                index += length
            } else {
                escape(byte)
                index += 1
            }
        }
        return text
    }
}
