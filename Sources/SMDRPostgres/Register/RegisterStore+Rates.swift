/// The SQL of the rating kinds of the register, `plans` and `rates` (DESIGN §6, §7).
extension RegisterStore.Spec {
    /// An assignment's target in words (alias `r`, site by name in `site`): `client ACME,
    /// timekeeper TK1`, `site demo`, or `every call` when it names nothing.
    static func target(_ r: String) -> String {
        "coalesce(nullif(concat_ws(', ', 'client ' || \(r).client_id, 'matter ' || \(r).matter_id, "
            + "'timekeeper ' || \(r).timekeeper_id, 'site ' || \(r).site), ''), 'every call')"
    }

    /// An assignment's plan and interval in words (alias `r`): `STD from 2026-01-01 to open`.
    static func window(_ r: String) -> String {
        "\(r).plan_id || ' from ' || \(EffectiveTime.sql("\(r).effective_from")) || ' to ' || \(EffectiveTime.sql("\(r).effective_to"))"
    }

    /// With `--replace`: a plan or timekeeper the file lacks that a rate assignment still uses
    /// cannot be removed (reported on the header line).
    static func stillAssigned(_ column: String, noun: String, table: String) -> String {
        """
        SELECT 1, '\(column)', '\(noun) ' || x.\(column) || ' is not in the file but rate assignments use it ('
            || string_agg(\(Self.target("r")) || ': ' || \(Self.window("r")), '; ' ORDER BY r.site COLLATE "C" NULLS FIRST, r.client_id COLLATE "C" NULLS FIRST, r.effective_from NULLS FIRST)
            || '); expected every \(noun) a rate assignment uses (change those first with smdr register import rates)'
        FROM smdr.\(table) AS x
        JOIN (\(Self.ratesCurrent)) AS r ON r.\(column) = x.\(column)
        WHERE NOT EXISTS (SELECT FROM register_import AS s WHERE s.\(column) = x.\(column))
        GROUP BY x.\(column)
        """
    }

    static let plans = Self(
        // Decimals are staged and compared as text, so that a change of the written scale
        // (250.0 → 250.00) is a change and export writes back what was imported.
        stagingColumns: """
            plan_id text NOT NULL, hourly_rate text NOT NULL, currency text NOT NULL, increment_seconds integer NOT NULL,
            minimum_seconds integer NOT NULL, grace_seconds integer NOT NULL, rounding text NOT NULL, scope text NOT NULL,
            bill_hold_time boolean NOT NULL, carrier_markup_percent text
            """,
        keys: ["plan_id"],
        values: [
            "hourly_rate", "currency", "increment_seconds", "minimum_seconds", "grace_seconds", "rounding", "scope", "bill_hold_time",
            "carrier_markup_percent",
        ],
        currentSQL: """
            SELECT plan_id, hourly_rate::text AS hourly_rate, currency, increment_seconds, minimum_seconds, grace_seconds, rounding,
                scope, bill_hold_time, carrier_markup_percent::text AS carrier_markup_percent
            FROM smdr.rate_plan
            """,
        checks: { replace in replace ? [Self.stillAssigned("plan_id", noun: "plan", table: "rate_plan")] : [] },
        applySQL: """
            INSERT INTO smdr.rate_plan AS p (plan_id, hourly_rate, currency, increment_seconds, minimum_seconds, grace_seconds,
                rounding, scope, bill_hold_time, carrier_markup_percent)
            SELECT plan_id, hourly_rate::numeric, currency, increment_seconds, minimum_seconds, grace_seconds, rounding, scope,
                bill_hold_time, carrier_markup_percent::numeric
            FROM register_import
            ON CONFLICT (plan_id) DO UPDATE SET hourly_rate = excluded.hourly_rate, currency = excluded.currency,
                increment_seconds = excluded.increment_seconds, minimum_seconds = excluded.minimum_seconds,
                grace_seconds = excluded.grace_seconds, rounding = excluded.rounding, scope = excluded.scope,
                bill_hold_time = excluded.bill_hold_time, carrier_markup_percent = excluded.carrier_markup_percent, updated_at = now()
            WHERE (p.hourly_rate::text, p.currency, p.increment_seconds, p.minimum_seconds, p.grace_seconds, p.rounding, p.scope,
                    p.bill_hold_time, p.carrier_markup_percent::text)
                IS DISTINCT FROM (excluded.hourly_rate::text, excluded.currency, excluded.increment_seconds, excluded.minimum_seconds,
                    excluded.grace_seconds, excluded.rounding, excluded.scope, excluded.bill_hold_time,
                    excluded.carrier_markup_percent::text);
            """,
        replaceSQL: """
            DELETE FROM smdr.rate_plan AS p WHERE NOT EXISTS (SELECT FROM register_import AS s WHERE s.plan_id = p.plan_id);
            """
    )

    /// A staged rate row (`s`) and a registered one (`cur`, site by name) with the same key.
    static let sameRate = RegisterKind.rates.keyColumns.map { "s.\($0) IS NOT DISTINCT FROM cur.\($0)" }.joined(separator: " AND ")

    static let rates = Self(
        stagingColumns: """
            plan_id text NOT NULL, client_id text, matter_id text, timekeeper_id text, site text,
            effective_from timestamp, effective_to timestamp
            """,
        keys: RegisterKind.rates.keyColumns,
        keyEquals: "IS NOT DISTINCT FROM",
        values: ["effective_to"],
        currentSQL: Self.ratesCurrent,
        checks: { replace in
            [
                """
                SELECT s.line, 'plan_id', 'no plan named ' || s.plan_id || '; expected a plan of the plans file (import plans first with smdr register import plans)'
                FROM register_import AS s WHERE NOT EXISTS (SELECT FROM smdr.rate_plan AS p WHERE p.plan_id = s.plan_id)
                """,
                """
                SELECT s.line, 'client_id', s.client_id || ' is not a registered client; expected a client of the codes file (import codes first with smdr register import codes)'
                FROM register_import AS s
                WHERE s.client_id IS NOT NULL AND NOT EXISTS (SELECT FROM smdr.client AS c WHERE c.client_id = s.client_id)
                """,
                """
                SELECT s.line, 'matter_id', s.matter_id || ' is not a matter of client ' || s.client_id
                    || '; expected a matter_id the codes file gives ' || s.client_id
                    || coalesce(' (' || (SELECT string_agg(m.matter_id, ', ' ORDER BY m.matter_id COLLATE "C") FROM smdr.matter AS m WHERE m.client_id = s.client_id) || ')', ' (it has none)')
                    || ', or empty'
                FROM register_import AS s
                WHERE s.matter_id IS NOT NULL AND EXISTS (SELECT FROM smdr.client AS c WHERE c.client_id = s.client_id)
                    AND NOT EXISTS (SELECT FROM smdr.matter AS m WHERE m.client_id = s.client_id AND m.matter_id = s.matter_id)
                """,
                """
                SELECT s.line, 'timekeeper_id', s.timekeeper_id || ' is not a registered timekeeper; expected a timekeeper of the timekeepers file (import timekeepers first with smdr register import timekeepers)'
                FROM register_import AS s
                WHERE s.timekeeper_id IS NOT NULL AND NOT EXISTS (SELECT FROM smdr.timekeeper AS k WHERE k.timekeeper_id = s.timekeeper_id)
                """,
                Self.siteExists,
                // The assignments there would be: the file's and the registered ones it keeps
                // (none with --replace; not those it changes). A pair is reported once, on
                // the later line of the file.
                """
                WITH result AS (
                    SELECT s.line, s.plan_id, s.client_id, s.matter_id, s.timekeeper_id, s.site, s.effective_from, s.effective_to
                    FROM register_import AS s
                    UNION ALL
                    SELECT NULL, cur.plan_id, cur.client_id, cur.matter_id, cur.timekeeper_id, cur.site, cur.effective_from, cur.effective_to
                    FROM (\(Self.ratesCurrent)) AS cur
                    WHERE NOT \(replace) AND NOT EXISTS (SELECT FROM register_import AS s WHERE \(Self.sameRate))
                )
                SELECT a.line, 'effective_from', \(Self.window("a")) || ' for ' || \(Self.target("a")) || ' overlaps '
                    || CASE WHEN b.line IS NULL THEN 'registered assignment ' || \(Self.window("b"))
                        ELSE 'line ' || b.line || ' (' || \(Self.window("b")) || ')' END
                    || '; expected one plan for a target at a time (end one assignment where the next begins)'
                FROM result AS a JOIN result AS b
                    ON a.client_id IS NOT DISTINCT FROM b.client_id AND a.matter_id IS NOT DISTINCT FROM b.matter_id
                    AND a.timekeeper_id IS NOT DISTINCT FROM b.timekeeper_id AND a.site IS NOT DISTINCT FROM b.site
                WHERE a.line IS NOT NULL AND (b.line IS NULL OR b.line < a.line)
                    AND coalesce(a.effective_from, '-infinity') < coalesce(b.effective_to, 'infinity')
                    AND coalesce(b.effective_from, '-infinity') < coalesce(a.effective_to, 'infinity')
                """,
            ]
        },
        applySQL: """
            INSERT INTO smdr.rate_assignment AS r (plan_id, client_id, matter_id, timekeeper_id, site_id, effective_from, effective_to)
            SELECT s.plan_id, s.client_id, s.matter_id, s.timekeeper_id, t.id, s.effective_from, s.effective_to
            FROM register_import AS s LEFT JOIN smdr.site AS t ON t.name = s.site
            ON CONFLICT (plan_id, client_id, matter_id, timekeeper_id, site_id, effective_from)
            DO UPDATE SET effective_to = excluded.effective_to, updated_at = now()
            WHERE r.effective_to IS DISTINCT FROM excluded.effective_to;
            """,
        replaceSQL: """
            DELETE FROM smdr.rate_assignment AS r
            WHERE NOT EXISTS (
                SELECT FROM register_import AS s LEFT JOIN smdr.site AS t ON t.name = s.site
                WHERE s.plan_id = r.plan_id AND s.client_id IS NOT DISTINCT FROM r.client_id
                    AND s.matter_id IS NOT DISTINCT FROM r.matter_id AND s.timekeeper_id IS NOT DISTINCT FROM r.timekeeper_id
                    AND t.id IS NOT DISTINCT FROM r.site_id AND s.effective_from IS NOT DISTINCT FROM r.effective_from
            );
            """,
        orderBy: """
            cur.site COLLATE "C" NULLS FIRST, cur.client_id COLLATE "C" NULLS FIRST, cur.matter_id COLLATE "C" NULLS FIRST,
            cur.timekeeper_id COLLATE "C" NULLS FIRST, cur.effective_from NULLS FIRST, cur.plan_id COLLATE "C"
            """
    )

    /// The registered assignments in the staging columns (``rates``'s currentSQL, which
    /// ``rates``'s checks cannot name while it is being initialised).
    static let ratesCurrent = """
        SELECT r.plan_id, r.client_id, r.matter_id, r.timekeeper_id, t.name AS site, r.effective_from, r.effective_to
        FROM smdr.rate_assignment AS r LEFT JOIN smdr.site AS t ON t.id = r.site_id
        """
}
