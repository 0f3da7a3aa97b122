-- The rating stage (DESIGN §7): rate plans and their effective-dated assignments (inputs, kept
-- in the register), rating runs, the charges each run derived, which run is current for each
-- site and local day, and closed months.

-- MARK: what is new

-- smdr rate finds the lines loaded since its last run by loaded_at: rows arrive in load order,
-- so a BRIN index stays tiny and costs the loader next to nothing.
CREATE INDEX IF NOT EXISTS raw_record_loaded_at_idx ON smdr.raw_record USING brin (loaded_at);
COMMENT ON INDEX smdr.raw_record_loaded_at_idx IS 'smdr rate: the lines loaded since the last run.';

-- MARK: rate_plan

CREATE TABLE IF NOT EXISTS smdr.rate_plan (
    plan_id text PRIMARY KEY CHECK (length(plan_id) BETWEEN 1 AND 64),
    hourly_rate numeric NOT NULL CHECK (hourly_rate >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    increment_seconds integer NOT NULL CHECK (increment_seconds > 0),
    minimum_seconds integer NOT NULL CHECK (minimum_seconds >= 0),
    grace_seconds integer NOT NULL CHECK (grace_seconds >= 0),
    rounding text NOT NULL CHECK (rounding IN ('up', 'nearest', 'down')),
    scope text NOT NULL CHECK (scope IN ('leg', 'call', 'client_day')),
    bill_hold_time boolean NOT NULL,
    carrier_markup_percent numeric CHECK (carrier_markup_percent >= -100),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smdr.rate_plan IS 'How time is billed (DESIGN §7): the hourly rate and currency, the increment, minimum and grace, rounding, what one charge covers (scope), whether hold time bills, and carrier cost pass-through. Imported with smdr register import plans.';
COMMENT ON COLUMN smdr.rate_plan.plan_id IS 'The plan''s name, as rate assignments and charges refer to it.';
COMMENT ON COLUMN smdr.rate_plan.hourly_rate IS 'Rate per hour in currency, exact decimal as written (333.33).';
COMMENT ON COLUMN smdr.rate_plan.currency IS 'ISO 4217 code of hourly_rate; amounts are rounded half-up to its minor unit (JPY none, BHD three).';
COMMENT ON COLUMN smdr.rate_plan.increment_seconds IS 'Time is billed in multiples of this many seconds: 360 = 0.1 h.';
COMMENT ON COLUMN smdr.rate_plan.minimum_seconds IS 'A charge bills at least this many seconds (before rounding); 0 = no minimum.';
COMMENT ON COLUMN smdr.rate_plan.grace_seconds IS 'A charge with less time than this bills nothing; 0 = none.';
COMMENT ON COLUMN smdr.rate_plan.rounding IS 'up, nearest (half an increment or more rounds up) or down, to the increment.';
COMMENT ON COLUMN smdr.rate_plan.scope IS 'What one charge covers, always per timekeeper: leg (each leg), call (a timekeeper''s legs of one call, summed), client_day (a timekeeper''s time for one client and matter on one local day, summed; the charge''s code is its first call''s).';
COMMENT ON COLUMN smdr.rate_plan.bill_hold_time IS 'Hold time is added to talk time.';
COMMENT ON COLUMN smdr.rate_plan.carrier_markup_percent IS 'When set, a leg''s Advice of Charge call_charge × (1 + this / 100) becomes an expense charge; NULL: carrier cost is not passed on.';
COMMENT ON COLUMN smdr.rate_plan.updated_at IS 'When the row was last imported with a change.';

-- MARK: rate_assignment

CREATE TABLE IF NOT EXISTS smdr.rate_assignment (
    plan_id text NOT NULL REFERENCES smdr.rate_plan (plan_id),
    client_id text REFERENCES smdr.client (client_id),
    matter_id text,
    timekeeper_id text REFERENCES smdr.timekeeper (timekeeper_id),
    site_id integer REFERENCES smdr.site (id),
    effective_from timestamp CHECK (effective_from = date_trunc('minute', effective_from)),
    effective_to timestamp CHECK (effective_to = date_trunc('minute', effective_to)),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (plan_id, client_id, matter_id, timekeeper_id, site_id, effective_from),
    FOREIGN KEY (client_id, matter_id) REFERENCES smdr.matter (client_id, matter_id),
    CHECK (matter_id IS NULL OR client_id IS NOT NULL),
    CHECK (effective_from < effective_to)
);
COMMENT ON TABLE smdr.rate_assignment IS 'Which plan bills what, from when: a plan attached to a matter and timekeeper, a matter, a client and timekeeper, a client, a timekeeper, or a site (the default), optionally at one site only. The most specific assignment effective at a call''s local start wins; two assignments of the same target may not overlap in time. Imported with smdr register import rates.';
COMMENT ON COLUMN smdr.rate_assignment.plan_id IS 'The plan (smdr.rate_plan).';
COMMENT ON COLUMN smdr.rate_assignment.client_id IS 'The client it bills; NULL: any client.';
COMMENT ON COLUMN smdr.rate_assignment.matter_id IS 'The matter of client_id; NULL: any matter.';
COMMENT ON COLUMN smdr.rate_assignment.timekeeper_id IS 'The timekeeper (smdr.timekeeper) whose time it bills; NULL: anyone''s.';
COMMENT ON COLUMN smdr.rate_assignment.site_id IS 'Only calls at this site; NULL: every site. With nothing else set, the site''s default plan.';
COMMENT ON COLUMN smdr.rate_assignment.effective_from IS 'Local time (at the call''s site) from which it applies, inclusive, to the minute (the rates file writes YYYY-MM-DD for 00:00, else YYYY-MM-DD HH:MM); NULL: always before.';
COMMENT ON COLUMN smdr.rate_assignment.effective_to IS 'Local time up to which it applies, exclusive, to the minute; NULL: open-ended.';
COMMENT ON COLUMN smdr.rate_assignment.updated_at IS 'When the row was last imported with a change.';

-- MARK: rating_run

CREATE TABLE IF NOT EXISTS smdr.rating_run (
    run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('rate', 'rerate')),
    period_from date NOT NULL,
    period_to date NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    run_by text NOT NULL DEFAULT session_user,
    days integer NOT NULL DEFAULT 0,
    charges integer NOT NULL DEFAULT 0,
    unrated_legs integer NOT NULL DEFAULT 0,
    CHECK (period_from <= period_to)
);
COMMENT ON TABLE smdr.rating_run IS 'One run of the rater (smdr rate, smdr rate --rerate) that changed something: the period it looked at and the days whose charges it replaced. A run''s charges become current in one transaction when it finishes; a run that never finished is removed by the next.';
COMMENT ON COLUMN smdr.rating_run.run_id IS 'The run''s number, increasing: charges.rating_run.';
COMMENT ON COLUMN smdr.rating_run.kind IS 'rate: calls completed since the last run; rerate: a period re-matched and re-rated.';
COMMENT ON COLUMN smdr.rating_run.period_from IS 'First local day the run looked at.';
COMMENT ON COLUMN smdr.rating_run.period_to IS 'Last local day the run looked at.';
COMMENT ON COLUMN smdr.rating_run.started_at IS 'When the run started.';
COMMENT ON COLUMN smdr.rating_run.finished_at IS 'When its charges became current; NULL while it runs (or if it failed).';
COMMENT ON COLUMN smdr.rating_run.run_by IS 'Database role that ran it.';
COMMENT ON COLUMN smdr.rating_run.days IS 'Site days whose charges the run replaced (days with a change).';
COMMENT ON COLUMN smdr.rating_run.charges IS 'Charges the run wrote for those days.';
COMMENT ON COLUMN smdr.rating_run.unrated_legs IS 'Billable legs with a client but no applicable plan on those days.';

-- MARK: rating_state

CREATE TABLE IF NOT EXISTS smdr.rating_state (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    loaded_since timestamptz,
    pending_from date,
    checked_at timestamptz,
    lease_holder text,
    lease_expires timestamptz
);
INSERT INTO smdr.rating_state (id) VALUES (true) ON CONFLICT (id) DO NOTHING;
COMMENT ON TABLE smdr.rating_state IS 'Where smdr rate carries on from (one row), and the lease that keeps two rating runs from running at once.';
COMMENT ON COLUMN smdr.rating_state.id IS 'Always true: the table has one row.';
COMMENT ON COLUMN smdr.rating_state.loaded_since IS 'The next smdr rate looks at the days of legs loaded (raw_record.loaded_at) at or after this; NULL: every stored day.';
COMMENT ON COLUMN smdr.rating_state.pending_from IS 'First local day with a call that was not complete at the last run; the next run starts there at the latest.';
COMMENT ON COLUMN smdr.rating_state.checked_at IS 'When a rating run last finished, changed or not.';
COMMENT ON COLUMN smdr.rating_state.lease_holder IS 'Who runs the rater now (host and process); NULL when nobody.';
COMMENT ON COLUMN smdr.rating_state.lease_expires IS 'The lease ends then unless renewed: a crashed run does not block the next for longer.';

-- MARK: rating_day

CREATE TABLE IF NOT EXISTS smdr.rating_day (
    site_id integer NOT NULL REFERENCES smdr.site (id),
    charge_date date NOT NULL,
    rating_run bigint NOT NULL REFERENCES smdr.rating_run (run_id),
    digest bytea NOT NULL,
    PRIMARY KEY (site_id, charge_date)
);
COMMENT ON TABLE smdr.rating_day IS 'The current rating run of each site and local day: smdr.charges shows the charges of this run for the day. A run switches all its days in one transaction.';
COMMENT ON COLUMN smdr.rating_day.site_id IS 'The site.';
COMMENT ON COLUMN smdr.rating_day.charge_date IS 'The local day (of the calls'' starts).';
COMMENT ON COLUMN smdr.rating_day.rating_run IS 'The run whose charges are current for the day.';
COMMENT ON COLUMN smdr.rating_day.digest IS 'SHA-256 of the day''s charges and unrated legs as rated: a re-rate that derives the same leaves the day alone.';

-- MARK: charge

CREATE TABLE IF NOT EXISTS smdr.charge (
    charge_id bigint GENERATED ALWAYS AS IDENTITY,
    rating_run bigint NOT NULL DEFAULT (current_setting('smdr.rating_run'))::bigint,
    kind text NOT NULL CHECK (kind IN ('fee', 'expense')),
    site_id integer NOT NULL,
    charge_date date NOT NULL,
    client_id text NOT NULL,
    matter_id text,
    code text NOT NULL,
    timekeeper_id text,
    timekeeper_name text NOT NULL,
    scope text NOT NULL CHECK (scope IN ('leg', 'call', 'client_day')),
    calls integer NOT NULL CHECK (calls > 0),
    legs integer NOT NULL CHECK (legs > 0),
    raw_seconds bigint NOT NULL CHECK (raw_seconds >= 0),
    billed_seconds bigint NOT NULL CHECK (billed_seconds >= 0),
    billed_hours numeric NOT NULL,
    hourly_rate numeric,
    amount numeric NOT NULL,
    currency text NOT NULL,
    plan_id text NOT NULL,
    rule text NOT NULL,
    trace text NOT NULL,
    blocked boolean NOT NULL,
    first_start_local timestamp NOT NULL,
    call_ids bigint[] NOT NULL,
    call_starts timestamp[] NOT NULL,
    leg_starts timestamp[] NOT NULL,
    leg_ordinals integer[] NOT NULL,
    PRIMARY KEY (charge_id, charge_date)
) PARTITION BY RANGE (charge_date);
COMMENT ON TABLE smdr.charge IS 'Every charge every rating run derived, partitioned by the month of charge_date. Read the current ones through smdr.charges; a superseded run''s charges are kept for a while (smdr rate --keep-superseded) to compare and explain.';
COMMENT ON COLUMN smdr.charge.charge_id IS 'Unique number of the charge.';
COMMENT ON COLUMN smdr.charge.rating_run IS 'The run that derived it (smdr.rating_run); the writer sets it for its session (the smdr.rating_run setting) before each copy, so the rows it copies are the very bytes it hashed.';
COMMENT ON COLUMN smdr.charge.kind IS 'fee: billed time; expense: carrier cost passed on.';
COMMENT ON COLUMN smdr.charge.site_id IS 'The site of the calls.';
COMMENT ON COLUMN smdr.charge.charge_date IS 'Local day of the start of the (first) call.';
COMMENT ON COLUMN smdr.charge.client_id IS 'The client billed.';
COMMENT ON COLUMN smdr.charge.matter_id IS 'The matter billed; NULL when the code has none.';
COMMENT ON COLUMN smdr.charge.code IS 'The account code the time bills.';
COMMENT ON COLUMN smdr.charge.timekeeper_id IS 'The registered timekeeper; NULL when the user is not registered.';
COMMENT ON COLUMN smdr.charge.timekeeper_name IS 'The timekeeper''s registered name when rated (else the user''s name on the PBX).';
COMMENT ON COLUMN smdr.charge.scope IS 'The plan''s scope: leg, call or client_day.';
COMMENT ON COLUMN smdr.charge.calls IS 'Calls the charge covers.';
COMMENT ON COLUMN smdr.charge.legs IS 'Billable legs the charge covers.';
COMMENT ON COLUMN smdr.charge.raw_seconds IS 'Talk time, plus hold time when the plan bills it, before grace, minimum and rounding; 0 for an expense (its fee has the time).';
COMMENT ON COLUMN smdr.charge.billed_seconds IS 'Seconds billed after grace, minimum and rounding (0: not billed).';
COMMENT ON COLUMN smdr.charge.billed_hours IS 'billed_seconds / 3600 (exact when it has at most 4 decimals, else to 6).';
COMMENT ON COLUMN smdr.charge.hourly_rate IS 'The plan''s hourly rate; NULL for an expense.';
COMMENT ON COLUMN smdr.charge.amount IS 'billed_seconds × hourly_rate / 3600 (or the carrier cost with markup), half-up to the currency''s minor unit.';
COMMENT ON COLUMN smdr.charge.currency IS 'ISO 4217 currency of amount.';
COMMENT ON COLUMN smdr.charge.plan_id IS 'The plan applied.';
COMMENT ON COLUMN smdr.charge.rule IS 'The match rules of the legs (comma-separated, in precedence order).';
COMMENT ON COLUMN smdr.charge.trace IS 'How the amount was derived, in words.';
COMMENT ON COLUMN smdr.charge.blocked IS 'A leg''s external number is a blocked client number.';
COMMENT ON COLUMN smdr.charge.first_start_local IS 'Local start of the first leg covered.';
COMMENT ON COLUMN smdr.charge.call_ids IS 'Call IDs of the calls covered (with call_starts: the calls'' keys in smdr.matched_legs).';
COMMENT ON COLUMN smdr.charge.call_starts IS 'Local starts of those calls, in the same order.';
COMMENT ON COLUMN smdr.charge.leg_starts IS 'Local Call Start of each leg covered (leg_start_local in smdr.matched_legs).';
COMMENT ON COLUMN smdr.charge.leg_ordinals IS 'leg_ordinal of each leg covered, in the same order.';

CREATE TABLE IF NOT EXISTS smdr.charge_default PARTITION OF smdr.charge DEFAULT;
COMMENT ON TABLE smdr.charge_default IS 'Default partition of charge; stays empty while the rater creates each month''s partition.';
CREATE INDEX IF NOT EXISTS charge_day_idx ON smdr.charge (site_id, charge_date, rating_run);
COMMENT ON INDEX smdr.charge_day_idx IS 'A day''s charges of a run: smdr.charges joins through smdr.rating_day.';

-- MARK: rating_day_total

CREATE TABLE IF NOT EXISTS smdr.rating_day_total (
    rating_run bigint NOT NULL DEFAULT (current_setting('smdr.rating_run'))::bigint,
    site_id integer NOT NULL,
    charge_date date NOT NULL,
    client_id text NOT NULL,
    matter_id text,
    currency text NOT NULL,
    calls integer NOT NULL,
    billed_seconds bigint NOT NULL,
    amount numeric NOT NULL
);
CREATE INDEX IF NOT EXISTS rating_day_total_day_idx ON smdr.rating_day_total (site_id, charge_date, rating_run);
COMMENT ON TABLE smdr.rating_day_total IS 'A run''s charges of one site day summed per client, matter and currency, written with them: what smdr rate reports before → after without summing every charge again.';
COMMENT ON COLUMN smdr.rating_day_total.rating_run IS 'The run.';
COMMENT ON COLUMN smdr.rating_day_total.site_id IS 'The site.';
COMMENT ON COLUMN smdr.rating_day_total.charge_date IS 'The local day.';
COMMENT ON COLUMN smdr.rating_day_total.client_id IS 'The client.';
COMMENT ON COLUMN smdr.rating_day_total.matter_id IS 'The matter; NULL when none.';
COMMENT ON COLUMN smdr.rating_day_total.currency IS 'The currency.';
COMMENT ON COLUMN smdr.rating_day_total.calls IS 'Distinct calls with a fee (a call''s charges are all on its day, so days add up).';
COMMENT ON COLUMN smdr.rating_day_total.billed_seconds IS 'Seconds billed.';
COMMENT ON COLUMN smdr.rating_day_total.amount IS 'Fees and expenses.';

-- MARK: rating_superseded

CREATE TABLE IF NOT EXISTS smdr.rating_superseded (
    site_id integer NOT NULL,
    charge_date date NOT NULL,
    rating_run bigint NOT NULL,
    superseded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, charge_date, rating_run)
);
CREATE INDEX IF NOT EXISTS rating_superseded_at_idx ON smdr.rating_superseded (superseded_at);
COMMENT ON TABLE smdr.rating_superseded IS 'Site days whose charges a re-rate replaced, kept to compare and explain until smdr rate --keep-superseded days have passed.';
COMMENT ON COLUMN smdr.rating_superseded.site_id IS 'The site.';
COMMENT ON COLUMN smdr.rating_superseded.charge_date IS 'The local day.';
COMMENT ON COLUMN smdr.rating_superseded.rating_run IS 'The run whose charges of that day were replaced (still in smdr.charge).';
COMMENT ON COLUMN smdr.rating_superseded.superseded_at IS 'When they were replaced.';

CREATE OR REPLACE FUNCTION smdr.ensure_charge_partitions(months date[]) RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    month date;
    created integer := 0;
BEGIN
    FOREACH month IN ARRAY months LOOP
        month := date_trunc('month', month)::date;
        CONTINUE WHEN to_regclass(format('smdr.%I', 'charge' || to_char(month, '"_y"YYYY"m"MM'))) IS NOT NULL;
        PERFORM pg_advisory_xact_lock(hashtext('smdr.ensure_charge_partitions'));
        CONTINUE WHEN to_regclass(format('smdr.%I', 'charge' || to_char(month, '"_y"YYYY"m"MM'))) IS NOT NULL;
        EXECUTE format('CREATE TABLE smdr.%I PARTITION OF smdr.charge FOR VALUES FROM (%L) TO (%L)',
            'charge' || to_char(month, '"_y"YYYY"m"MM'), month, (month + interval '1 month')::date);
        EXECUTE format('COMMENT ON TABLE smdr.%I IS %L', 'charge' || to_char(month, '"_y"YYYY"m"MM'),
            format('Partition of charge for charge dates in %s.', to_char(month, 'YYYY-MM')));
        created := created + 1;
    END LOOP;
    RETURN created;
END
$fn$;
COMMENT ON FUNCTION smdr.ensure_charge_partitions(date[]) IS 'Creates the monthly partitions of charge for the given months if missing; returns how many it created. smdr rate calls it, in its own transaction, before writing a month.';
REVOKE ALL ON FUNCTION smdr.ensure_charge_partitions(date[]) FROM PUBLIC;

-- MARK: unrated_leg

CREATE TABLE IF NOT EXISTS smdr.unrated_leg (
    rating_run bigint NOT NULL DEFAULT (current_setting('smdr.rating_run'))::bigint,
    site_id integer NOT NULL,
    charge_date date NOT NULL,
    call_id bigint NOT NULL,
    call_start_local timestamp NOT NULL,
    leg_start_local timestamp NOT NULL,
    leg_ordinal integer NOT NULL,
    client_id text NOT NULL,
    matter_id text,
    code text NOT NULL,
    timekeeper_id text,
    talk_seconds bigint NOT NULL,
    reason text NOT NULL
);
CREATE INDEX IF NOT EXISTS unrated_leg_day_idx ON smdr.unrated_leg (site_id, charge_date, rating_run);
COMMENT ON TABLE smdr.unrated_leg IS 'Billable legs with a client that no plan applied to, by the run that found them: read the current ones through smdr.unrated_legs.';
COMMENT ON COLUMN smdr.unrated_leg.rating_run IS 'The run that found it.';
COMMENT ON COLUMN smdr.unrated_leg.site_id IS 'The site of the call.';
COMMENT ON COLUMN smdr.unrated_leg.charge_date IS 'Local day of the call''s start.';
COMMENT ON COLUMN smdr.unrated_leg.call_id IS 'Call ID of the call.';
COMMENT ON COLUMN smdr.unrated_leg.call_start_local IS 'Local start of the call''s first leg.';
COMMENT ON COLUMN smdr.unrated_leg.leg_start_local IS 'The leg''s own local Call Start.';
COMMENT ON COLUMN smdr.unrated_leg.leg_ordinal IS 'The leg''s leg_ordinal.';
COMMENT ON COLUMN smdr.unrated_leg.client_id IS 'The client the leg bills.';
COMMENT ON COLUMN smdr.unrated_leg.matter_id IS 'The matter; NULL when none.';
COMMENT ON COLUMN smdr.unrated_leg.code IS 'The code the leg bills.';
COMMENT ON COLUMN smdr.unrated_leg.timekeeper_id IS 'The timekeeper; NULL when not registered.';
COMMENT ON COLUMN smdr.unrated_leg.talk_seconds IS 'Talk time of the leg.';
COMMENT ON COLUMN smdr.unrated_leg.reason IS 'Why it was not rated (no plan assigned to it on the call''s local start).';

-- MARK: rating_period

CREATE TABLE IF NOT EXISTS smdr.rating_period (
    month date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
    closed_at timestamptz NOT NULL DEFAULT now(),
    closed_by text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE smdr.rating_period IS 'Closed months (smdr period close YYYY-MM, once statements are sent): no run re-matches or re-rates a call starting in them and no code is assigned to one until smdr period reopen.';
COMMENT ON COLUMN smdr.rating_period.month IS 'First day of the closed month.';
COMMENT ON COLUMN smdr.rating_period.closed_at IS 'When it was closed.';
COMMENT ON COLUMN smdr.rating_period.closed_by IS 'Database role that closed it.';

-- MARK: credit limits

ALTER TABLE smdr.client ADD COLUMN IF NOT EXISTS credit_limit numeric CHECK (credit_limit >= 0);
ALTER TABLE smdr.client ADD COLUMN IF NOT EXISTS credit_currency text CHECK (credit_currency ~ '^[A-Z]{3}$');
COMMENT ON COLUMN smdr.client.credit_limit IS 'Most the client may owe in credit_currency before billing staff act (smdr.client_credit); NULL: no limit.';
COMMENT ON COLUMN smdr.client.credit_currency IS 'ISO 4217 currency of credit_limit.';

-- MARK: privileges

GRANT SELECT, INSERT, UPDATE, DELETE ON smdr.rate_plan, smdr.rate_assignment, smdr.rating_period TO smdr_billing;
GRANT SELECT ON smdr.rate_plan, smdr.rate_assignment, smdr.rating_period TO smdr_rater;
GRANT SELECT, INSERT, UPDATE, DELETE ON smdr.rating_run, smdr.rating_state, smdr.rating_day, smdr.charge, smdr.unrated_leg, smdr.rating_superseded, smdr.rating_day_total TO smdr_rater;
GRANT EXECUTE ON FUNCTION smdr.ensure_charge_partitions(date[]) TO smdr_rater;
GRANT SELECT ON smdr.rating_run, smdr.rating_day TO smdr_billing;

INSERT INTO smdr.schema_version (version, description)
VALUES (4, 'rating: plans, rate assignments, rating runs, charges, closed periods')
ON CONFLICT (version) DO NOTHING;
