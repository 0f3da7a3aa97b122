public import SMDRCore
public import SMDRPostgres

/// Recomputes the instants of a site's stored legs from their local Call Start with the site's
/// current time zone (`smdr site rederive`), after the zone was changed.
///
/// Uses ``TimeZoneResolver``, the code a load uses, with the same references (the leg's SMDR
/// Record Time, else the line's stored `received_at`), so a rederived leg gets exactly the
/// `call_start`, `time_ambiguous` and `time_nonexistent` a fresh load under the current zone
/// would give it. PostgreSQL's `AT TIME ZONE` is not used: it resolves the repeated hour after a
/// fall-back always to standard time, and reads its own copy of the zone database (see
/// `docs/decisions.md`).
///
/// All of it is one transaction holding the site's load lock, so loaders of the site wait and
/// a failure changes nothing (``LegTimeStore/revise(siteID:from:to:on:_:)`` reads and writes;
/// this type decides).
public struct LegTimeRederivation: Sendable {
    public struct Counts: Hashable, Sendable {
        /// Legs in the range.
        public var examined = 0
        /// Legs whose `call_start`, `time_ambiguous` or `time_nonexistent` changed.
        public var changed = 0
    }

    public let site: Site
    /// First local day included (by `call_start_local`); `nil`: from the first leg.
    public let from: LocalDate?
    /// Last local day included; `nil`: up to the last leg.
    public let to: LocalDate?

    public init(site: Site, from: LocalDate? = nil, to: LocalDate? = nil) {
        self.site = site
        self.from = from
        self.to = to
    }

    /// Recomputes and stores the times of the legs in range, in one transaction.
    ///
    /// - Throws: ``SiteError`` when the site's zone is unknown to this system or the site is not
    ///   stored; ``PostgresError``.
    public func run(on connection: PostgresConnection) throws -> Counts {
        var resolver = TimeZoneResolver(timeZone: try self.site.resolvedTimeZone())
        let (examined, changed) = try LegTimeStore.revise(
            siteID: try self.site.storedID(), from: self.from?.description, to: self.to?.description, on: connection
        ) { legs in
            legs.compactMap { leg in
                let time = resolver.resolve(leg.callStartLocal, recordTime: leg.recordTime, receivedAt: leg.receivedAt)
                return time == leg.stored ? nil : (leg, time)
            }
        }
        return Counts(examined: examined, changed: changed)
    }
}
