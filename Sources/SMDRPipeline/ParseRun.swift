public import SMDRCore

/// What `smdr parse` does: frame, parse and render every line of one input, reporting each
/// rejected line and counting what it saw.
public struct ParseRun {
    /// Where records and rejections go.
    public enum Output {
        /// Records rendered in a format, to standard output.
        case records(RecordFormatter.Format)
        /// No records, only a summary at the end.
        case summary
    }

    /// Counts for the whole input.
    public struct Summary: Sendable, Equatable {
        public var lines = 0
        public var parsed = 0
        public var rejected = 0
        public var rejectedByCode: [String: Int] = [:]
        public var headerSkipped = false
        public var inbound = 0
        public var outbound = 0
        public var internalCalls = 0
        public var connectedSeconds = 0
        public var callIDs = Set<Int>()
        public var accountCodes = Set<String>()
        public var widths: [Int: Int] = [:]

        public init() {}

        mutating func count(_ record: CallRecord) {
            self.parsed += 1
            if record.direction == .inbound { self.inbound += 1 } else { self.outbound += 1 }
            if record.isInternal == true { self.internalCalls += 1 }
            self.connectedSeconds += record.connectedSeconds
            self.callIDs.insert(record.callID)
            if !record.accountCode.isEmpty { self.accountCodes.insert(record.accountCode) }
            self.widths[record.fieldCount, default: 0] += 1
        }

        mutating func count(_ error: SMDRParseError) {
            self.rejected += 1
            self.rejectedByCode[error.code.description, default: 0] += 1
        }

        /// A short human-readable report.
        public var report: String {
            var lines = [
                "lines \(self.lines), parsed \(self.parsed), rejected \(self.rejected)"
                    + (self.headerSkipped ? " (Delta Server header skipped)" : ""),
                "legs: inbound \(self.inbound), outbound \(self.outbound) (internal \(self.internalCalls)); "
                    + "calls \(self.callIDs.count); connected \(Self.duration(self.connectedSeconds))",
                "account codes: \(self.accountCodes.count) distinct",
                "widths: " + self.widths.sorted { $0.key < $1.key }.map { "\($0.key) fields × \($0.value)" }
                    .joined(separator: ", "),
            ]
            if !self.rejectedByCode.isEmpty {
                lines.append(
                    "rejected by code: "
                        + self.rejectedByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                        .joined(separator: ", ")
                )
            }
            return lines.joined(separator: "\n") + "\n"
        }

        private static func duration(_ seconds: Int) -> String {
            let hours = seconds / 3600
            let minutes = (seconds % 3600) / 60
            return "\(hours) h \(minutes) min"
        }
    }

    public let output: Output
    public let maximumLineLength: Int
    private let parser = SMDRParser()

    public init(output: Output, maximumLineLength: Int = LineFramer.defaultMaximumLineLength) {
        self.output = output
        self.maximumLineLength = maximumLineLength
    }

    /// Parses all of `input`, writing records to `records` and one line per rejection to `errors`.
    ///
    /// - Throws: ``InputError`` when `input` cannot be read; ``ByteOutputError`` when an output
    ///   cannot be written (a closed pipe is not an error).
    public func run(input: ByteInput, records: ByteOutput, errors: ByteOutput) throws -> Summary {
        var summary = Summary()
        var framer = LineFramer(maximumLineLength: self.maximumLineLength)
        let formatter: RecordFormatter?
        if case .records(let format) = self.output {
            formatter = RecordFormatter(format: format)
            if let header = formatter?.header { records.write(header) }
        } else {
            formatter = nil
        }

        func handle(_ line: FramedLine) {
            summary.lines += 1
            if summary.lines == 1, SMDRParser.isDeltaServerHeader(line.bytes) {
                summary.headerSkipped = true
                return
            }
            if line.isTruncated {
                let error = SMDRParseError(code: .lineTooLong, field: nil, offset: self.maximumLineLength)
                summary.count(error)
                errors.write(Self.rejection(input: input.name, line: summary.lines, error: error))
                return
            }
            do {
                let record = try self.parser.parse(line.bytes)
                summary.count(record)
                if let formatter { records.write(formatter.render(record, line: summary.lines)) }
            } catch {
                summary.count(error)
                errors.write(Self.rejection(input: input.name, line: summary.lines, error: error))
            }
        }

        do {
            try input.forEachChunk { chunk in
                framer.append(chunk, handle)
                // Nobody reads the records any more (closed pipe, full disk): stop reading.
                if formatter != nil, records.hasEnded { throw OutputEnded() }
            }
            if let last = framer.finish() { handle(last) }
        } catch is OutputEnded {}
        try records.finish()
        try errors.finish()
        return summary
    }

    private struct OutputEnded: Error {}

    /// `FILE:LINE: rejected: CODE in field N (Name) at byte B`
    static func rejection(input: String, line: Int, error: SMDRParseError) -> String {
        "\(input == "-" ? "<stdin>" : input):\(line): rejected: \(error)\n"
    }
}
