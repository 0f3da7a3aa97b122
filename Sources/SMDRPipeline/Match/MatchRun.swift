public import SMDRCore
public import SMDRPostgres
public import SMDRRating

/// (Re)matches the calls of a period (`smdr match`): reads the legs and the register, stitches
/// calls, matches their billable legs and replaces the period's matches, one month per
/// transaction. Closed months (`smdr period close`) keep their matches.
///
/// Idempotent: the same legs and register give the same rows. Manual assignments are inputs and
/// win over every rule, so a re-match never changes them. Calls that are not complete yet (no
/// leg with Continuation 0, and the newest leg within ``callIdleSeconds`` of now) are left for a
/// later run: a code entered on a leg still to come would change them.
public struct MatchRun: Sendable {
    /// How long after its newest leg a call without a final leg counts as complete: 2 h.
    public static let defaultCallIdleSeconds = 7_200

    /// What a run did.
    public struct Summary: Hashable, Sendable {
        /// Days matched; `nil` when there were no legs.
        public var days: ClosedRange<LocalDate>?
        /// Complete calls matched, and how many of them had billable legs.
        public var calls = 0
        public var billableCalls = 0
        /// Billable legs now matched, by rule.
        public var legs: [MatchRule: Int] = [:]
        /// Billable legs matched before this run in the same days, by rule.
        public var previousLegs: [MatchRule: Int] = [:]
        /// Calls in the review queue (at least one unassigned billable leg).
        public var unassignedCalls = 0
        /// Calls skipped because they are not complete yet.
        public var incompleteCalls = 0
        /// The local day of the first of them.
        public var firstIncompleteDay: LocalDate?
        /// Months whose stored matches were kept (closed, or a dry run), as first days.
        public var keptMonths: [LocalDate] = []

        /// Adds the counts of `other` (a month's) to these.
        mutating func add(_ other: Summary) {
            self.calls += other.calls
            self.billableCalls += other.billableCalls
            self.legs.merge(other.legs, uniquingKeysWith: +)
            self.previousLegs.merge(other.previousLegs, uniquingKeysWith: +)
            self.unassignedCalls += other.unassignedCalls
            self.incompleteCalls += other.incompleteCalls
            if let day = other.firstIncompleteDay { self.firstIncompleteDay = min(self.firstIncompleteDay ?? day, day) }
            self.keptMonths += other.keptMonths
        }
    }

    /// First and last local day of the calls to match (by the start of their first leg);
    /// `nil`: from the first / up to the last stored leg.
    public var from: LocalDate?
    public var to: LocalDate?
    public var callIdleSeconds: Int
    public var stitcher: CallStitcher

    public init(from: LocalDate? = nil, to: LocalDate? = nil, callIdleSeconds: Int = MatchRun.defaultCallIdleSeconds, stitcher: CallStitcher = CallStitcher()) {
        self.from = from
        self.to = to
        self.callIdleSeconds = callIdleSeconds
        self.stitcher = stitcher
    }

    /// Matches the period; `nowEpoch` (seconds since 1970) decides which calls are complete.
    ///
    /// Two of the store's connections work at once: one reads the next month's legs while the
    /// other matches and writes the month before (legs are only ever added, so a leg stored
    /// after its month was read is matched by the next run).
    public func run(in store: PostgresStore, nowEpoch: Int) async throws -> Summary {
        try await self.run(in: store, nowEpoch: nowEpoch) { _, _ in }
    }

    /// What one month's matching hands on to the next stage (``RateRun``), inside the month's
    /// transaction.
    package struct MatchedMonth: Sendable {
        /// The month's days in the period.
        package var days: ClosedRange<LocalDate>
        /// The month's complete calls, with their legs.
        package var calls: [StitchedCall]
        /// The billable legs of those calls, call by call.
        package var matches: [LegMatch]
        /// The month is closed (or the run writes nothing): its matches were not stored.
        package var isKept: Bool
        /// The month is closed (`smdr period close`).
        package var isClosed: Bool
        /// The register and sites the run matched with (one snapshot for the whole run).
        package var register: Register
        package var sites: [Site]
    }

    /// Matches the period as ``run(in:nowEpoch:)`` does (with `writes` false, every month keeps
    /// its stored matches), and hands each month to `handOn` in the transaction that wrote it.
    package func run(
        in store: PostgresStore, nowEpoch: Int, writes: Bool = true,
        then handOn: @escaping @Sendable (MatchedMonth, PostgresConnection) throws -> Void
    ) async throws -> Summary {
        let (from, to) = (self.from, self.to)
        let prepared = try await store.withConnection { connection -> Prepared? in
            guard let stored = try MatchStore.legDays(on: connection) else { return nil }
            let first = max(from ?? stored.lowerBound, stored.lowerBound)
            let last = min(to ?? stored.upperBound, stored.upperBound)
            guard first <= last else { return nil }
            let register = try RegisterStore(connection: connection).loadRegister()
            // Built once (the number table alone takes about 0.1 s for 100k numbers); each month
            // brings its own manual assignments.
            let sites = try Site.all(on: connection)
            return Prepared(
                stored: stored, days: first...last, closed: try RatingStore.closedMonths(on: connection), register: register, sites: sites,
                matcher: Matcher(register: register, sites: sites, manualAssignments: [])
            )
        }
        var summary = Summary()
        guard let prepared else { return summary }
        summary.days = prepared.days
        // The window a call's legs can spread over, in days, read on both sides of each month.
        let marginDays = (self.stitcher.windowSeconds + 86_399) / 86_400
        let months = Self.months(prepared.days)
        @Sendable func read(_ index: Int) async throws -> [MatchLeg] {
            guard index < months.count else { return [] }
            let window = months[index].lowerBound.adding(days: -marginDays)...months[index].upperBound.adding(days: marginDays)
            return try await store.withConnection { try MatchStore.legs(on: window, on: $0) }
        }
        var legs = try await read(0)
        for (index, month) in months.enumerated() {
            // Structured: if this month's write fails, the read is awaited before the error leaves.
            async let next = read(index + 1)
            let current = legs
            summary.add(
                try await store.withConnection { connection in
                    try connection.withTransaction {
                        try self.match(
                            month, legs: current, prepared: prepared, nowEpoch: nowEpoch,
                            keep: !writes || prepared.closed.contains(month.lowerBound.firstOfMonth),
                            then: handOn, on: connection
                        )
                    }
                }
            )
            legs = try await next
        }
        return summary
    }

    /// What a run reads once: the stored days, the period, the register and sites, and the matcher built from them.
    private struct Prepared: Sendable {
        var stored: ClosedRange<LocalDate>
        var days: ClosedRange<LocalDate>
        /// Closed months (first days): their matches are final.
        var closed: Set<LocalDate>
        var register: Register
        var sites: [Site]
        var matcher: Matcher
    }

    /// Matches and stores the calls of one month (clipped to the period) from `legs` (the month
    /// and the stitching window around it), holding the matching lock.
    private func match(
        _ month: ClosedRange<LocalDate>, legs: [MatchLeg], prepared: Prepared, nowEpoch: Int, keep: Bool, then handOn: (MatchedMonth, PostgresConnection) throws -> Void, on connection: PostgresConnection
    ) throws -> Summary {
        var summary = Summary()
        try MatchStore.lock(on: connection)
        let stored = prepared.stored
        let matcher = prepared.matcher.replacingManualAssignments(try MatchStore.manualAssignments(on: month, on: connection))
        var complete: [StitchedCall] = []
        for call in self.stitcher.stitch(legs) {
            guard call.isComplete(nowEpoch: nowEpoch, idleSeconds: self.callIdleSeconds) else {
                if month.contains(call.key.startLocal.date) {
                    summary.incompleteCalls += 1
                    summary.firstIncompleteDay = min(summary.firstIncompleteDay ?? call.key.startLocal.date, call.key.startLocal.date)
                }
                continue
            }
            if month.contains(call.key.startLocal.date) { summary.calls += 1 }
            complete.append(call)
        }
        // Every complete call is matched, so conferences see their parties across the month's
        // edges; only the month's own calls are stored.
        let matches = matcher.match(complete).filter { month.contains($0.call.startLocal.date) }
        // A chunk that covers every stored day of its month replaces the month's partition.
        let wholeMonth = month.lowerBound <= max(month.lowerBound.firstOfMonth, stored.lowerBound)
            && month.upperBound >= min(month.lowerBound.lastOfMonth, stored.upperBound)
        if keep {
            summary.keptMonths.append(month.lowerBound.firstOfMonth)
        } else {
            summary.previousLegs = try MatchStore.replace(on: month, wholeMonth: wholeMonth, with: matches, on: connection)
        }
        try handOn(
            MatchedMonth(
                days: month, calls: complete.filter { month.contains($0.key.startLocal.date) }, matches: matches, isKept: keep,
                isClosed: prepared.closed.contains(month.lowerBound.firstOfMonth),
                register: prepared.register, sites: prepared.sites
            ),
            connection
        )
        // Matches come call by call, so a call's legs are next to each other.
        var previous: CallKey?
        var previousUnassigned: CallKey?
        for match in matches {
            summary.legs[match.rule, default: 0] += 1
            if match.call != previous {
                summary.billableCalls += 1
                previous = match.call
            }
            if match.rule == .unassigned, match.call != previousUnassigned {
                summary.unassignedCalls += 1
                previousUnassigned = match.call
            }
        }
        return summary
    }

    /// The calendar months of `days`, each clipped to `days`.
    static func months(_ days: ClosedRange<LocalDate>) -> [ClosedRange<LocalDate>] {
        var months: [ClosedRange<LocalDate>] = []
        var start = days.lowerBound
        while start <= days.upperBound {
            let end = min(start.lastOfMonth, days.upperBound)
            months.append(start...end)
            start = end.adding(days: 1)
        }
        return months
    }
}
