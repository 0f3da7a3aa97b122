import Foundation
import SMDRCore
import SMDRPipeline
import SMDRReports
import SMDRTestSupport
import Testing

/// Statements printed to PDF by the real headless Chromium, at the paper their page asks for, the
/// same bytes twice when dated; and, with fake browsers, finding Chromium, the deadline and
/// Chromium's failures that exit 0.
@Suite struct ChromiumPrinterTests {
    // MARK: - Finding Chromium

    @Test func withoutChromiumTheMessageNamesThePackageAndTheSetting() throws {
        #expect(throws: ChromiumError(
            "--pdf needs Chromium: install the Debian package chromium (apt-get install chromium), or set SMDR_CHROMIUM to its path"
        )) {
            try ChromiumPrinter.locate(configured: nil, environmentPath: "")
        }
        let error = try #require(throws: ChromiumError.self) {
            try ChromiumPrinter.locate(configured: "/nonexistent/chromium", environmentPath: "")
        }
        #expect(error.message.contains("'/nonexistent/chromium'"))
        #expect(error.message.contains("apt-get install chromium"))
        #expect(error.message.contains("SMDR_CHROMIUM"))
    }

    @Test func findsTheConfiguredPathOrTheFirstCandidateOnThePath() async throws {
        try await withTemporaryDirectory { directory in
            let first = directory + "/first", second = directory + "/second"
            try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
            try fakeBrowser(at: first + "/chromium", executable: false)  // not executable: skipped
            try FileManager.default.createDirectory(atPath: first + "/chromium-browser", withIntermediateDirectories: true)  // a directory
            try fakeBrowser(at: first + "/google-chrome")
            try fakeBrowser(at: second + "/chromium")
            let path = "\(first)::\(second)"

            // The order of the names wins over the order of the path.
            #expect(try ChromiumPrinter.locate(configured: nil, environmentPath: path) == second + "/chromium")
            #expect(try ChromiumPrinter.locate(configured: nil, environmentPath: first) == first + "/google-chrome")
            #expect(try ChromiumPrinter.locate(configured: first + "/google-chrome", environmentPath: "") == first + "/google-chrome")
            #expect(try ChromiumPrinter.locate(configured: "google-chrome", environmentPath: path) == first + "/google-chrome")
            #expect(throws: ChromiumError.self) { try ChromiumPrinter.locate(configured: first + "/chromium", environmentPath: path) }
            #expect(throws: ChromiumError.self) { try ChromiumPrinter.locate(configured: first + "/chromium-browser", environmentPath: path) }
        }
    }

    // MARK: - Printing with Chromium

    @Test(.timeLimit(.minutes(2))) func printsAtThePaperSizeThePageAsksFor() async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            for (pageSize, width, height) in [("A4", 595, 842), ("letter", 612, 792)] {
                let pdf = "\(directory)/page-\(pageSize).pdf"
                try await printer.printPDF(html: Array(RenderedPages.ownPage(pageSize: pageSize).utf8), to: pdf)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
                #expect(bytes.starts(with: Array("%PDF-".utf8)), "\(pageSize)")
                let size = try await RenderedPages.pdfPageSize(pdf)
                #expect(size.width == width && size.height == height, "\(pageSize): \(size)")
                #expect(size.pages == 1)
            }
            // Only the PDFs: the page, Chromium's profile and the printed file stayed private.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["page-A4.pdf", "page-letter.pdf"])
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Paper.allCases) func printsTheStatement(paper: Paper) async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            let pdf = "\(directory)/statement.pdf"
            try await printer.printPDF(html: StatementPage.html(RenderedPages.statement(paper: paper)), to: pdf)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
            let size = try await RenderedPages.pdfPageSize(pdf)
            #expect(size.pages >= 1)
        }
    }

    @Test(.timeLimit(.minutes(2))) func aDatedPrintIsTheSameBytesEveryTime() async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            let html = Array(RenderedPages.ownPage(pageSize: "A4").utf8)
            let closedOn = LocalDate(year: 2024, month: 6, day: 3)
            try await printer.printPDF(html: html, to: "\(directory)/one.pdf", documentDate: closedOn)
            try await Task.sleep(for: .milliseconds(1100))  // a second later: an undated print would differ
            try await printer.printPDF(html: html, to: "\(directory)/two.pdf", documentDate: closedOn)
            let one = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/one.pdf"))
            let two = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/two.pdf"))
            #expect(one == two)
            let text = String(decoding: one.prefix(2048), as: UTF8.self)
            #expect(text.contains("/CreationDate (D:20240603000000+00'00')"))
            #expect(text.contains("/ModDate (D:20240603000000+00'00')"))
        }
    }

    // MARK: - Fake browsers

    @Test(.timeLimit(.minutes(1))) func aPrintPastItsTimeoutIsStoppedWithEverythingItStarted() async throws {
        try await withTemporaryDirectory { directory in
            // Records its own pid and its child's, then waits for a child that would sleep 30 s.
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                printf '%s\\n' "$@" > '\(directory)/arguments'
                echo $$ > '\(directory)/browser.pid'
                sleep 30 &
                echo $! > '\(directory)/child.pid'
                wait
                """)
            let pdf = "\(directory)/page.pdf"
            let printer = ChromiumPrinter(executable: browser, timeout: .seconds(1))

            let started = ContinuousClock.now
            let error = try await #require(throws: ChromiumError.self) {
                try await printer.printPDF(html: Array(RenderedPages.ownPage(pageSize: "A4").utf8), to: pdf)
            }
            let elapsed = ContinuousClock.now - started
            #expect(error.message.hasPrefix("Chromium did not finish printing \(pdf) within 1s and was stopped"))
            #expect(error.message.contains("SMDR_PDF_TIMEOUT"))
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(10), "\(elapsed)")

            for name in ["browser.pid", "child.pid"] {
                let text = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
                let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
                try await eventually(timeout: .seconds(5)) { RenderedPages.hasEnded(pid) }
            }
            // No PDF, no file beside it, and the private directory (page, profile) is gone.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "arguments", "browser.pid", "child.pid", "chromium",
            ])
            let arguments = try String(contentsOfFile: "\(directory)/arguments", encoding: .utf8).split(separator: "\n")
            let profile = try #require(arguments.first { $0.hasPrefix("--user-data-dir=") }).dropFirst("--user-data-dir=".count)
            let privateDirectory = String(profile.dropLast("/profile".count))
            #expect(profile.hasSuffix("/profile"))
            #expect(!FileManager.default.fileExists(atPath: privateDirectory))
        }
    }

    @Test(.timeLimit(.minutes(1))) func cancellingAPrintStopsTheBrowserAndEverythingItStarted() async throws {
        try await withTemporaryDirectory { directory in
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                sleep 30 &
                echo $! > '\(directory)/child.pid.partial'
                mv '\(directory)/child.pid.partial' '\(directory)/child.pid'
                wait
                """)
            let printer = ChromiumPrinter(executable: browser, timeout: .seconds(30))

            let started = ContinuousClock.now
            let print = Task { try await printer.printPDF(html: Array("<p>x</p>".utf8), to: "\(directory)/page.pdf") }
            try await eventually(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: "\(directory)/child.pid") }
            print.cancel()
            await #expect(throws: CancellationError.self) { try await print.value }
            #expect(ContinuousClock.now - started < .seconds(10))

            let text = try String(contentsOfFile: "\(directory)/child.pid", encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            try await eventually(timeout: .seconds(5)) { RenderedPages.hasEnded(pid) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["child.pid", "chromium"])
        }
    }

    @Test func theBrowserPrintsInAPrivateDirectoryAndThePDFIsCopiedIntoPlace() async throws {
        try await withTemporaryDirectory { directory in
            // Keeps its arguments and a copy of the page, and prints a (tiny) PDF.
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                printf '%s\\n' "$@" > '\(directory)/arguments'
                for argument; do
                    case "$argument" in
                    --print-to-pdf=*) printf '%%PDF-1.4 printed\\n' > "${argument#--print-to-pdf=}";;
                    file://*) cp "${argument#file://}" '\(directory)/page-seen.html';;
                    esac
                done
                """)
            let pdf = "\(directory)/statement.pdf"
            // The name the printer used to print to, beside the destination: a link planted there
            // must not be written through.
            try RenderedPages.write("victim", to: "\(directory)/victim")
            try FileManager.default.createSymbolicLink(atPath: "\(pdf).partial-\(getpid())", withDestinationPath: "\(directory)/victim")
            let page = Array("<p>Lee &amp; Partners 👩‍⚖️</p>".utf8)

            try await ChromiumPrinter(executable: browser).printPDF(html: page, to: pdf)

            #expect(try String(contentsOfFile: pdf, encoding: .utf8) == "%PDF-1.4 printed\n")
            #expect(try String(contentsOfFile: "\(directory)/victim", encoding: .utf8) == "victim")
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: "\(directory)/page-seen.html"))) == page)

            let arguments = try String(contentsOfFile: "\(directory)/arguments", encoding: .utf8).split(separator: "\n").map(String.init)
            var expected = ["--headless"]
            if geteuid() == 0 { expected.append("--no-sandbox") }
            expected += ["--disable-gpu", "--disable-background-networking", "--disable-extensions", "--no-first-run", "--no-pdf-header-footer"]
            #expect(Array(arguments.prefix(expected.count)) == expected)
            // Profile, page and print all in one private directory, which is gone afterwards.
            let profile = try #require(arguments.first { $0.hasPrefix("--user-data-dir=") }).dropFirst("--user-data-dir=".count)
            #expect(profile.hasSuffix("/profile"))
            let privateDirectory = String(profile.dropLast("/profile".count))
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            #expect(privateDirectory.hasPrefix(base + "/smdr-chromium."))
            #expect(arguments.contains("--print-to-pdf=\(privateDirectory)/print.pdf"))
            #expect(arguments.last == "file://\(privateDirectory)/page.html")
            #expect(!FileManager.default.fileExists(atPath: privateDirectory))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "arguments", "chromium", "page-seen.html", "statement.pdf", "statement.pdf.partial-\(getpid())", "victim",
            ])
        }
    }

    @Test func theBrowserGetsOnlyTheVariablesItNeeds() async throws {
        // A password in this process (pg_virtualenv sets one already; keep it if so).
        setenv("PGPASSWORD", "secret-of-the-test", 0)
        let password = try #require(ProcessInfo.processInfo.environment["PGPASSWORD"])
        try await withTemporaryDirectory { directory in
            // The environment it was started with, exactly (no shell's additions).
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                tr '\\000' '\\n' < /proc/$$/environ > '\(directory)/environment'
                printf '%s\\n' "$@" > '\(directory)/arguments'
                exit 3
                """)
            await #expect(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: browser).printPDF(html: Array("<p>x</p>".utf8), to: "\(directory)/out.pdf")
            }
            let entries = try String(contentsOfFile: "\(directory)/environment", encoding: .utf8).split(separator: "\n").map(String.init)
            let names = entries.map { String($0.prefix { $0 != "=" }) }
            #expect(!names.contains("PGPASSWORD"))
            #expect(!entries.contains { $0.contains(password) })
            let allowed = ["PATH", "LANG", "LANGUAGE", "TZ", "HOME", "TMPDIR"]
            #expect(names.allSatisfy { allowed.contains($0) || $0.hasPrefix("LC_") || $0.hasPrefix("FONTCONFIG_") }, "\(names)")
            #expect(entries.contains("PATH=\(ProcessInfo.processInfo.environment["PATH"] ?? "")"))

            let arguments = try String(contentsOfFile: "\(directory)/arguments", encoding: .utf8).split(separator: "\n")
            let profile = try #require(arguments.first { $0.hasPrefix("--user-data-dir=") }).dropFirst("--user-data-dir=".count)
            let privateDirectory = String(profile.dropLast("/profile".count))
            #expect(entries.contains("HOME=\(privateDirectory)"))
            #expect(entries.contains("TMPDIR=\(privateDirectory)"))
        }
    }

    @Test func theEnvironmentKeepsThePathLocaleTimeZoneAndFontSettings() {
        let environment = [
            "PATH=/usr/bin:/bin", "PGPASSWORD=secret", "LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8", "LCX=1",
            "SMDR_DATABASE=postgres://smdr:secret@db/smdr", "HOME=/home/smdr", "TZ=Europe/London", "PATHS=x",
            "FONTCONFIG_FILE=/etc/fonts/fonts.conf", "XDG_CONFIG_HOME=/home/smdr/.config", "LANGUAGE=en_GB:en", "TMPDIR=/var/tmp", "novalue",
        ]
        #expect(ChromiumPrinter.childEnvironment(inheriting: environment, directory: "/tmp/smdr-chromium.abc123") == [
            "PATH=/usr/bin:/bin", "LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8", "TZ=Europe/London", "FONTCONFIG_FILE=/etc/fonts/fonts.conf",
            "LANGUAGE=en_GB:en", "HOME=/tmp/smdr-chromium.abc123", "TMPDIR=/tmp/smdr-chromium.abc123",
        ])
    }

    @Test func aBrowserThatPrintsNothingIsAFailureWithItsLastWords() async throws {
        try await withTemporaryDirectory { directory in
            let browser = directory + "/chromium"
            // Chromium's way: a complaint on stderr, exit status 0, no file.
            try fakeBrowser(at: browser, script: """
                echo '[1:1:0101/000000.000000:ERROR:dbus/bus.cc:405] Failed to connect to the bus' >&2
                echo '[1:1:0101/000000.000000:ERROR:headless_command_handler.cc:403] Page load failed: net::ERR_FILE_NOT_FOUND' >&2
                exit 0
                """)
            let pdf = "\(directory)/a statement é.pdf"
            try RenderedPages.write("previous", to: pdf)
            let printer = ChromiumPrinter(executable: browser)

            let error = try await #require(throws: ChromiumError.self) {
                try await printer.printPDF(html: Array("<p>x</p>".utf8), to: pdf)
            }
            #expect(error.message == """
                Chromium wrote no PDF for \(pdf): \
                [1:1:0101/000000.000000:ERROR:headless_command_handler.cc:403] Page load failed: net::ERR_FILE_NOT_FOUND
                """)
            // The file there before is untouched, and nothing is left beside it.
            #expect(try String(contentsOfFile: pdf, encoding: .utf8) == "previous")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a statement é.pdf", "chromium"])
        }
    }

    @Test func aBrowserThatWritesSomethingElseOrFailsIsAFailure() async throws {
        try await withTemporaryDirectory { directory in
            let html = Array(RenderedPages.ownPage(pageSize: "A4").utf8), pdf = "\(directory)/out.pdf"

            let writesHTML = directory + "/writes-html"
            try fakeBrowser(at: writesHTML, script: """
                for argument; do case "$argument" in --print-to-pdf=*) echo '<html>' > "${argument#--print-to-pdf=}";; esac; done
                """)
            let error = try await #require(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: writesHTML).printPDF(html: html, to: pdf)
            }
            #expect(error.message == "Chromium wrote something other than a PDF for \(pdf)")

            let fails = directory + "/fails"
            try fakeBrowser(at: fails, script: "echo 'cannot open display' >&2; exit 3")
            let failure = try await #require(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: fails).printPDF(html: html, to: pdf)
            }
            #expect(failure.message == "Chromium (\(fails)) failed with status 3 printing \(pdf): cannot open display")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["fails", "writes-html"])
        }
    }

    @Test func aDestinationThatCannotBeWrittenFailsBeforeTheBrowserRuns() async throws {
        try await withTemporaryDirectory { directory in
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: "touch '\(directory)/ran'")
            let pdf = "\(directory)/no-such-directory/out.pdf"
            let error = try await #require(throws: OutputFileError.self) {
                try await ChromiumPrinter(executable: browser).printPDF(html: Array("<p>x</p>".utf8), to: pdf)
            }
            #expect(error.path == pdf && error.action == "create a file beside" && error.errorNumber == ENOENT)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/ran"))
        }
    }

    // MARK: - Document dates

    @Test func documentDatesAreSetInTheInfoDictionaryOnlyAtTheSameLength() throws {
        let original = """
            %PDF-1.4
            1 0 obj
            <</Title (x /CreationDate \\(D:20261130150801+00'00'\\))
            /CreationDate (D:20261130150801+01'00')
            /ModDate (D:20261130150802-05'30')>>
            endobj
            2 0 obj
            <</CreationDate (D:20261130150801+00'00')>>
            endobj
            trailer
            <</Size 3
            /Info 1 0 R>>
            %%EOF

            """
        let expected = """
            %PDF-1.4
            1 0 obj
            <</Title (x /CreationDate \\(D:20261130150801+00'00'\\))
            /CreationDate (D:20240603000000+00'00')
            /ModDate (D:20240603000000+00'00')>>
            endobj
            2 0 obj
            <</CreationDate (D:20261130150801+00'00')>>
            endobj
            trailer
            <</Size 3
            /Info 1 0 R>>
            %%EOF

            """
        var pdf = Array(original.utf8)
        #expect(ChromiumPrinter.setDocumentDates(of: &pdf, to: LocalDate(year: 2024, month: 6, day: 3)))
        #expect(String(decoding: pdf, as: UTF8.self) == expected)

        // A date of another shape is left alone, and said so.
        var odd = Array(original.replacingOccurrences(of: "(D:20261130150802-05'30')", with: "(D:2026)").utf8)
        let before = odd
        #expect(!ChromiumPrinter.setDocumentDates(of: &odd, to: LocalDate(year: 2024, month: 6, day: 3)))
        #expect(odd.count == before.count)
        #expect(String(decoding: odd, as: UTF8.self).contains("/ModDate (D:2026)"))
    }

    /// Writes an executable `/bin/sh` script (or a plain file when `executable` is false).
    ///
    /// Through a close-on-exec descriptor: a child another test forks meanwhile would otherwise
    /// inherit it open for writing, and running the script would fail with "Text file busy".
    private func fakeBrowser(at path: String, script: String = "exit 0", executable: Bool = true) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RenderedPages.Failure(description: "cannot create \(path): errno \(errno)") }
        defer { close(descriptor) }
        let bytes = Array("#!/bin/sh\n\(script)\n".utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fchmod(descriptor, executable ? 0o755 : 0o644) == 0 else {
            throw RenderedPages.Failure(description: "cannot write \(path): errno \(errno)")
        }
    }
}
