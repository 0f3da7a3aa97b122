import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

/// The golden firm of `Fixtures/golden` (its README works out every charge by hand) on a real
/// database, loaded and rated through the `smdr` binary, for the end-to-end tests of issue 12's
/// outputs.
///
/// Every `smdr` it runs gets an environment without the `SMDR_*` output settings of whoever runs
/// the tests (a `SMDR_PAPER=letter` in a shell must not change a golden page): only the flags the
/// test gives count.
struct GoldenFirm {
    typealias Output = RatingFirm.Output

    let firm: RatingFirm

    static let folder = Fixtures.root + "/golden/"

    /// The firm's settings as flags, so the outputs name the firm whatever the environment holds.
    static let firmFlags = ["--firm-name", "Dee & Eve LLP", "--firm-address", "1 Chancery Lane;London WC2A 1AA"]
    /// The LEDES `LAW_FIRM_ID` (a US tax ID's shape, with its hyphen).
    static let lawFirmID = "12-3456789"
    /// `smdr export`'s period and invoice date for every golden export.
    static let exportPeriod = ["--from", "2026-04-01", "--to", "2026-04-30", "--invoice-date", "2026-05-01"]

    /// The settings of the cli-spec that change what a command writes; removed from the children's
    /// environment. (`SMDR_CONFIG` too: a config file could set any of them.)
    static let cleanEnvironment: [String: String?] = [
        "SMDR_CONFIG": nil, "SMDR_FIRM_NAME": nil, "SMDR_FIRM_ADDRESS": nil, "SMDR_LAW_FIRM_ID": nil, "SMDR_PAPER": nil,
        "SMDR_CHROMIUM": nil, "SMDR_PDF_TIMEOUT": nil,
    ]

    /// The external parties' names of the capture by Call ID: issue 12's hostile names, each on a
    /// billed call, so every output has to carry them.
    static let callerNames: [Int: String] = [
        1_200_001: #"=HYPERLINK("x")"#,
        1_200_002: "<script>alert(1)</script>",
        1_200_003: "-2+3",
        1_200_004: "|[]",
        1_200_005: "👩‍⚖️",
        1_200_006: #""quoted""#,
        1_200_007: "Line 1.1",
        1_200_008: "Line 1.1",
        1_200_009: "'",
        1_200_010: "📞",
    ]

    /// `capture.smdr`, line by line (the README's table); `theCaptureIsTheREADMEs` checks the file
    /// is exactly this. TK1 Dana Dee (301), TK2 Eli Eve (302); site demo, April is BST.
    static let capture: [String] = [
        // ACME/ACME-001 by number (+441632960100 → 4100), ACMEP: 420 s up to 720 s = 0.2 h × 333.33 = 66.666 → 66.67 GBP.
        CaptureLine.inbound(
            "2026/04/01 09:00:00", talk: 420, user: .dana, callID: 1_200_001, number: "01632960100", callerName: callerNames[1_200_001]!
        ),
        // ACME/ACME-001 by code: 300 s → 360 s = 0.1 h × 333.33 = 33.33; carrier cost 1.25 × 1.10 = 1.375 → 1.38 GBP.
        CaptureLine.outbound(
            "2026/04/01 10:00:00", talk: 300, user: .dana, code: "4100", callID: 1_200_002, callCharge: "1.25", currency: "GBP",
            callerName: callerNames[1_200_002]!
        ),
        // ACME, no matter: 25 s < 30 s grace → not billed, 0.00 GBP.
        CaptureLine.outbound("2026/04/02 11:00:00", talk: 25, user: .eli, code: "4102", callID: 1_200_003, callerName: callerNames[1_200_003]!),
        // ACME/ACME-002, USDP: 1000 s up to 1080 s = 0.3 h × 400.00 = 120.00 USD.
        CaptureLine.outbound("2026/04/02 14:00:00", talk: 1000, user: .eli, code: "4101", callID: 1_200_004, callerName: callerNames[1_200_004]!),
        // BETA/BETA-001, DAYP client_day: with the next call 200 + 250 = 450 s, nearest 360 s → 360 s = 0.1 h × 200.00 = 20.00 GBP.
        CaptureLine.outbound("2026/04/03 09:00:00", talk: 200, user: .eli, code: "4200", callID: 1_200_005, callerName: callerNames[1_200_005]!),
        CaptureLine.inbound(
            "2026/04/03 15:00:00", talk: 250, user: .eli, code: "4200", callID: 1_200_006, number: "01632960444",
            callerName: callerNames[1_200_006]!
        ),
        // No code, unknown number: the review queue (no match).
        CaptureLine.outbound("2026/04/06 10:00:00", talk: 600, user: .dana, callID: 1_200_007, number: "01632960999"),
        // GAMMA has no plan: an unrated leg.
        CaptureLine.outbound("2026/04/06 11:00:00", talk: 300, user: .eli, code: "4300", callID: 1_200_008),
        // ACME/ACME-001 by number: 3000 s up to 3240 s = 0.9 h × 333.33 = 299.997 → 300.00 GBP.
        CaptureLine.inbound(
            "2026/04/07 16:00:00", talk: 3000, user: .eli, callID: 1_200_009, number: "01632960100", callerName: callerNames[1_200_009]!
        ),
        // ACME, no matter: 100 s past the grace, up to 360 s = 0.1 h × 333.33 = 33.33 GBP.
        CaptureLine.outbound("2026/04/08 09:30:00", talk: 100, user: .dana, code: "4102", callID: 1_200_010, callerName: callerNames[1_200_010]!),
    ]

    /// A fresh database with the golden register and capture loaded and rated (`smdr rate`).
    static func with(_ body: (GoldenFirm) async throws -> Void) async throws {
        try await RatingFirm.with { firm in
            let golden = GoldenFirm(firm: firm)
            for kind in ["codes", "numbers", "timekeepers", "plans", "rates"] {
                try await golden.succeed("register", "import", kind, Self.folder + kind + ".csv")
            }
            try await golden.succeed("ingest", "--site", "demo", Self.folder + "capture.smdr")
            try await golden.succeed("rate")
            try await body(golden)
        }
    }

    /// Runs `smdr ARGUMENTS --database …` with the clean environment plus `environment`.
    func run(_ arguments: [String], environment: [String: String?] = [:]) async throws -> Output {
        try await self.firm.run(arguments, environment: Self.cleanEnvironment.merging(environment) { $1 })
    }

    /// Runs the command and stops the test (with its standard error) unless it exits 0.
    @discardableResult
    func succeed(
        _ arguments: [String], environment: [String: String?] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Output {
        let output = try await self.run(arguments, environment: environment)
        try #require(
            output.status == 0, "smdr \(arguments.joined(separator: " ")) exited \(output.status): \(output.standardError)",
            sourceLocation: sourceLocation
        )
        return output
    }

    @discardableResult
    func succeed(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> Output {
        try await self.succeed(arguments, sourceLocation: sourceLocation)
    }

    /// A path in the scratch directory for an output.
    func path(_ name: String) -> String { self.firm.directory + "/" + name }

    /// The bytes of a file the command wrote; stops the test when there is none.
    func bytes(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: path), "no file \(path)", sourceLocation: sourceLocation)
        return [UInt8](data)
    }

    /// `smdr export --format FORMAT` of April with the golden firm's settings, written to a file
    /// in the scratch directory; returns the file's bytes and the command's standard error.
    func export(
        _ format: String, _ more: [String] = [], name: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (bytes: [UInt8], standardError: String) {
        let file = self.path(name ?? "export.\(format)")
        let output = try await self.succeed(
            ["export", "--format", format] + Self.exportPeriod + ["--output", file, "--law-firm-id", Self.lawFirmID] + Self.firmFlags
                + more,
            sourceLocation: sourceLocation
        )
        return (try self.bytes(file, sourceLocation: sourceLocation), output.standardError)
    }

    /// `smdr statement --client CLIENT --month 2026-04 --html FILE` with the golden firm's settings.
    func statement(_ client: String, name: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UInt8] {
        let file = self.path(name ?? "statement-\(client).html")
        try await self.succeed(
            ["statement", "--client", client, "--month", "2026-04", "--html", file] + Self.firmFlags, sourceLocation: sourceLocation
        )
        return try self.bytes(file, sourceLocation: sourceLocation)
    }

    /// One text column of a query's rows.
    func strings(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [String] {
        try RatingFirm.strings(try self.firm.connect(), sql, parameters)
    }
}
