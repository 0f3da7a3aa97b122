package import SMDRCore
package import SMDRPostgres
package import SMDRRating
import Foundation
import Synchronization

/// Matches and rates calls into a new rating run (`smdr rate`, `smdr rate --rerate`).
///
/// Month by month, as ``MatchRun`` does, the period's legs are stitched, matched and their
/// matches stored; in the same transaction the month's billable legs are rated and each site
/// day's charges hashed. Days whose digest differs from the current one get their charges
/// written under a new run, and when every month is done one transaction makes the run current
/// for all of them: a reader of `smdr.charges` sees the old charges or the new, never a mix.
/// Inputs that derive the same charges make no run. Closed months (`smdr period close`) keep
/// their matches and charges; what a re-rate would change there is reported instead.
package struct RateRun: Sendable {
    package enum Kind: String, Sendable {
        /// Calls completed since the last run (and days of codes assigned since).
        case rate
        /// Every call of a period, re-matched and re-rated.
        case rerate
    }

    /// How far before the last run a leg's load time counts as new again: 1 h. A loader's
    /// transaction can commit after the run started, with rows stamped before it.
    package static let loadMarginSeconds = 3_600
    /// How long charges superseded by a re-rate are kept to compare and explain: 31 days.
    package static let defaultKeepSupersededSeconds = 31 * 86_400
    /// Who holds the lease for a run of this process: host and process id.
    package static var defaultHolder: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Unrated legs listed one by one in a summary; the rest are counted.
    package static let listedUnratedLimit = 20

    /// One line of what a run changed: a client, matter and currency's totals before → after.
    package struct Change: Hashable, Sendable {
        package var clientID: String
        package var matterID: String?
        package var currency: String
        package var before: BillingTotals
        package var after: BillingTotals
    }

    /// What a run did.
    package struct Summary: Sendable {
        /// Another run holds the lease (who, until when): this one did nothing.
        package var busy: String?
        /// The days looked at; `nil`: nothing new to rate.
        package var period: ClosedRange<LocalDate>?
        package var match = MatchRun.Summary()
        /// The new current run; `nil` when nothing changed (or a dry run).
        package var run: Int?
        /// Site days whose charges changed (or would, in a dry run).
        package var changedDays = 0
        /// Charges written for them.
        package var charges = 0
        /// Billable legs with a client and no plan, in the period looked at.
        package var unrated: [UnratedLeg] = []
        package var unratedCount = 0
        /// Per client, matter and currency, totals of the period before → after (only lines
        /// that differ).
        package var changes: [Change] = []
        /// The same for closed months, which were left as they are.
        package var closedChanges: [Change] = []
        /// Superseded charges deleted after their keeping time.
        package var pruned = 0
    }

    package var kind: Kind
    /// For ``Kind/rerate``: the period (local days of the calls' starts).
    package var from: LocalDate?
    package var to: LocalDate?
    /// Derive and report, write nothing.
    package var dryRun: Bool
    package var callIdleSeconds: Int
    package var keepSupersededSeconds: Int
    /// Who holds the lease while this runs (host and process).
    package var holder: String
    /// How long to wait for another run's lease before giving up (``Summary/busy``).
    package var leaseWaitSeconds: Int

    package init(
        kind: Kind, from: LocalDate? = nil, to: LocalDate? = nil, dryRun: Bool = false,
        callIdleSeconds: Int = MatchRun.defaultCallIdleSeconds, keepSupersededSeconds: Int = RateRun.defaultKeepSupersededSeconds,
        holder: String, leaseWaitSeconds: Int = 0
    ) {
        self.leaseWaitSeconds = leaseWaitSeconds
        self.kind = kind
        self.from = from
        self.to = to
        self.dryRun = dryRun
        self.callIdleSeconds = callIdleSeconds
        self.keepSupersededSeconds = keepSupersededSeconds
        self.holder = holder
    }

    /// What the months hand on, gathered under a lock (months run one after another, on the
    /// store's threads).
    private final class Progress: Sendable {
        struct State {
            var rater: Rater?
            var run: Int?
            var days: [RatingStore.Day: [UInt8]?] = [:]
            var charges = 0
            var unrated: [UnratedLeg] = []
            var unratedCount = 0
            var delta: [BillingTotals.Key: (before: BillingTotals, after: BillingTotals)] = [:]
            var closedDelta: [BillingTotals.Key: (before: BillingTotals, after: BillingTotals)] = [:]
        }

        let state = Mutex(State())
    }

    /// Runs; `nowEpoch` (seconds since 1970) decides which calls are complete.
    package func run(in store: PostgresStore, nowEpoch: Int) async throws -> Summary {
        guard !self.dryRun else { return try await self.rate(in: store, nowEpoch: nowEpoch) }
        switch try await RatingLease.run(in: store, holder: self.holder, waitSeconds: self.leaseWaitSeconds, { try await self.rate(in: store, nowEpoch: nowEpoch) }) {
        case .done(let summary): return summary
        case .busy(let holder):
            var summary = Summary()
            summary.busy = holder
            return summary
        }
    }

    private func rate(in store: PostgresStore, nowEpoch: Int) async throws -> Summary {
        var summary = Summary()
        let (kind, from, to, dryRun) = (self.kind, self.from, self.to, self.dryRun)
        // Where to start, and the months' charge partitions (created before, each in its own
        // short transaction: creating one locks smdr.charge).
        let setup = try await store.withConnection { connection -> (period: (LocalDate?, LocalDate?)?, now: String) in
            let (state, now) = try RatingStore.state(on: connection)
            if !dryRun { try RatingStore.discardUnfinishedRuns(on: connection) }
            let period: (LocalDate?, LocalDate?)?
            switch kind {
            case .rerate:
                period = (from, to)
            case .rate:
                if let since = state.loadedSince {
                    let changed = try RatingStore.daysChanged(since: since, on: connection)
                    period = [changed?.lowerBound, state.pendingFrom].compactMap { $0 }.min().map { ($0, nil) }
                } else {
                    period = (nil, nil)  // the first run: everything
                }
            }
            if !dryRun, let period, let stored = try MatchStore.legDays(on: connection) {
                let first = max(period.0 ?? stored.lowerBound, stored.lowerBound)
                let last = min(period.1 ?? stored.upperBound, stored.upperBound)
                if first <= last { try RatingStore.ensurePartitions(MatchRun.months(first...last).map(\.lowerBound.firstOfMonth), on: connection) }
            }
            return (period, now)
        }
        let progress = Progress()
        let holder = self.holder
        if let period = setup.period {
            let match = MatchRun(from: period.0, to: period.1, callIdleSeconds: self.callIdleSeconds)
            summary.match = try await match.run(in: store, nowEpoch: nowEpoch, writes: !dryRun) { month, connection in
                if !dryRun { try RatingStore.renewLease(holder: holder, seconds: RatingLease.seconds, on: connection) }
                try Self.rate(month, kind: kind, progress: progress, on: connection)
            }
            // A re-rate reports the period asked for; a run of what is new, the days it looked at.
            if kind == .rerate, let days = summary.match.days {
                summary.period = (from ?? days.lowerBound)...(to ?? days.upperBound)
            } else {
                summary.period = summary.match.days
            }
        }
        let gathered = progress.state.withLock { $0 }
        let period = summary.period
        let changedClients = Set(gathered.delta.keys.map(\.clientID))
        // The period's totals of the clients that changed: after the switch (read then), or, in a
        // dry run, before (nothing was switched).
        let current: [BillingTotals.Key: BillingTotals]
        if !dryRun {
            let keepSuperseded = kind == .rerate
            let keepSeconds = self.keepSupersededSeconds
            let pendingFrom = summary.match.firstIncompleteDay
            (summary.pruned, current) = try await store.withConnection { connection in
                try connection.withTransaction {
                    if !gathered.days.isEmpty {
                        try RatingStore.switchDays(
                            run: gathered.run, days: gathered.days, charges: gathered.charges, unrated: gathered.unratedCount,
                            keepSuperseded: keepSuperseded, holder: holder, on: connection
                        )
                    }
                    if kind == .rate {
                        try RatingStore.saveState(
                            startedAt: setup.now, marginSeconds: Self.loadMarginSeconds, pendingFrom: pendingFrom,
                            on: connection
                        )
                    }
                    let pruned = kind == .rerate ? try RatingStore.pruneSuperseded(olderThanSeconds: keepSeconds, on: connection) : 0
                    guard let period, !changedClients.isEmpty else { return (pruned, [:]) }
                    return (pruned, try RatingStore.totals(in: period, clients: changedClients, on: connection))
                }
            }
        } else if let period, !changedClients.isEmpty {
            current = try await store.withConnection { try RatingStore.totals(in: period, clients: changedClients, on: $0) }
        } else {
            current = [:]
        }
        summary.run = gathered.run
        summary.changedDays = gathered.days.count
        summary.charges = gathered.charges
        summary.unrated = gathered.unrated
        summary.unratedCount = gathered.unratedCount
        summary.changes = Self.changes(gathered.delta, current: current, switched: !dryRun)
        summary.closedChanges = Self.changes(gathered.closedDelta, current: nil, switched: false)
        return summary
    }

    /// Rates one matched month and writes (or, kept, only compares) the days that changed.
    private static func rate(
        _ month: MatchRun.MatchedMonth, kind: Kind, progress: Progress, on connection: PostgresConnection
    ) throws {
        let rater = progress.state.withLock { state in
            if let rater = state.rater { return rater }
            let rater = Rater(register: month.register, sites: month.sites)
            state.rater = rater
            return rater
        }
        // The leg figures the rater needs, for the billable legs only.
        var figures: [LegKey: MatchLeg] = [:]
        figures.reserveCapacity(month.matches.count)
        let billable = Set(month.matches.lazy.filter { $0.clientID != nil }.map(\.leg))
        for call in month.calls {
            for leg in call.legs where billable.contains(leg.key) { figures[leg.key] = leg }
        }
        var legs: [RateLeg] = []
        legs.reserveCapacity(billable.count)
        for match in month.matches where match.clientID != nil {
            guard let leg = figures[match.leg] else { continue }
            legs.append(
                RateLeg(match: match, talkSeconds: leg.connectedSeconds, holdSeconds: leg.holdSeconds, callCharge: leg.callCharge, chargeCurrency: leg.chargeCurrency)
            )
        }
        let result = rater.rate(legs)
        var days: [RatingStore.Day: RatingStore.DayRows] = [:]
        for charge in result.charges {
            days[RatingStore.Day(siteID: charge.siteID, date: charge.date), default: RatingStore.DayRows()].charges.append(charge)
        }
        for unrated in result.unrated {
            let call = unrated.leg.match.call
            days[RatingStore.Day(siteID: call.siteID, date: call.startLocal.date), default: RatingStore.DayRows()].unrated.append(unrated)
        }
        let stored = try RatingStore.digests(on: month.days, on: connection)
        var changed: [RatingStore.Day: [UInt8]?] = [:]
        var encoded: [RatingStore.Day: RatingStore.EncodedDay] = [:]
        var after: [BillingTotals.Key: BillingTotals] = [:]
        for day in Set(days.keys).union(stored.keys) where month.days.contains(day.date) {
            var rows = days[day]?.encoded()
            guard rows?.digest != stored[day] else { continue }
            changed[day] = .some(rows?.digest)
            let totals = days[day]?.totals ?? [:]
            for (key, total) in totals { after[key] = (after[key] ?? BillingTotals()) + total }
            rows?.totals = RatingStore.DayRows.encoded(totals: totals, of: day)
            encoded[day] = rows
        }
        let isClosed = month.isClosed
        progress.state.withLock { state in
            state.unratedCount += result.unrated.count
            state.unrated += result.unrated.prefix(max(0, Self.listedUnratedLimit - state.unrated.count))
        }
        guard !changed.isEmpty else { return }
        let before = try RatingStore.totals(of: Array(changed.keys), on: connection)
        if !month.isKept {
            // Months run one after another, so only this one can begin the run.
            let run: Int
            if let started = progress.state.withLock({ $0.run }) {
                run = started
            } else {
                run = try RatingStore.beginRun(kind: kind.rawValue, period: month.days, on: connection)
                progress.state.withLock { $0.run = run }
            }
            try RatingStore.write(run: run, days: encoded, on: connection)
        }
        progress.state.withLock { state in
            for key in Set(before.keys).union(after.keys) {
                let line = (before: before[key] ?? BillingTotals(), after: after[key] ?? BillingTotals())
                if isClosed {
                    state.closedDelta[key] = Self.add(state.closedDelta[key], line)
                } else {
                    state.delta[key] = Self.add(state.delta[key], line)
                }
            }
            // Written, or in a dry run what would be; a closed month's days are only reported.
            guard !isClosed else { return }
            state.days.merge(changed) { $1 }
            state.charges += changed.keys.reduce(0) { $0 + (days[$1]?.charges.count ?? 0) }
        }
    }

    private static func add(
        _ total: (before: BillingTotals, after: BillingTotals)?, _ line: (before: BillingTotals, after: BillingTotals)
    ) -> (before: BillingTotals, after: BillingTotals) {
        guard let total else { return line }
        return (total.before + line.before, total.after + line.after)
    }

    /// The lines that differ. With `current` (the period's totals now, of the clients that
    /// changed), before → after of the whole period: after a switch `current` is after, else
    /// before. Without it (closed months, never written), the changed days' own totals.
    private static func changes(
        _ delta: [BillingTotals.Key: (before: BillingTotals, after: BillingTotals)], current: [BillingTotals.Key: BillingTotals]?,
        switched: Bool
    ) -> [Change] {
        delta.keys.sorted().compactMap { key in
            let line = delta[key]!
            guard line.before != line.after else { return nil }
            guard let current else {
                return Change(clientID: key.clientID, matterID: key.matterID, currency: key.currency, before: line.before, after: line.after)
            }
            let now = current[key] ?? BillingTotals()
            let before = switched ? now - line.after + line.before : now
            let after = switched ? now : now - line.before + line.after
            return Change(clientID: key.clientID, matterID: key.matterID, currency: key.currency, before: before, after: after)
        }
    }
}
