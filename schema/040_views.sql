-- The views analysts and billing staff read (DESIGN §8): names and the columns DESIGN names are a
-- contract; columns may be added, never renamed or removed.

-- MARK: matched_legs

CREATE OR REPLACE VIEW smdr.matched_legs AS
SELECT s.name AS site,
       m.call_id,
       m.call_start_local,
       m.leg_ordinal,
       m.timekeeper_id,
       m.code,
       m.client_id,
       m.matter_id,
       m.match_rule,
       m.unverified,
       m.blocked,
       m.external_e164,
       m.leg_start_local,
       m.kind,
       m.user_extension,
       m.user_name,
       t.name AS timekeeper_name,
       m.entered_code,
       m.external_number,
       c.name AS client_name,
       mt.name AS matter_name,
       l.connected_seconds,
       l.hold_seconds,
       l.direction,
       a.assigned_by,
       a.assigned_at,
       a.note AS assignment_note,
       m.matched_at
FROM smdr.leg_match AS m
JOIN smdr.site AS s ON s.id = m.site_id
JOIN smdr.call_leg AS l
  ON l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
 AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
LEFT JOIN smdr.timekeeper AS t ON t.timekeeper_id = m.timekeeper_id
LEFT JOIN smdr.client AS c ON c.client_id = m.client_id
LEFT JOIN smdr.matter AS mt ON mt.client_id = m.client_id AND mt.matter_id = m.matter_id
LEFT JOIN smdr.manual_assignment AS a
  ON m.match_rule = 'manual' AND a.site_id = m.site_id AND a.call_id = m.call_id AND a.call_start_local = m.call_start_local;
COMMENT ON VIEW smdr.matched_legs IS 'Every billable leg with the client it bills and why: one row per leg an internal user talked on with an external party (or in a conference with one). A call is (site, call_id, call_start_local); as of the last smdr match, and at once for codes assigned since.';
COMMENT ON COLUMN smdr.matched_legs.site IS 'Site name.';
COMMENT ON COLUMN smdr.matched_legs.call_id IS 'Call ID (field 10).';
COMMENT ON COLUMN smdr.matched_legs.call_start_local IS 'Local Call Start of the call''s first leg (site time): with site and call_id the call''s key.';
COMMENT ON COLUMN smdr.matched_legs.leg_ordinal IS 'The leg''s ordinal among the legs with its own Call Start (leg_start_local).';
COMMENT ON COLUMN smdr.matched_legs.timekeeper_id IS 'Registered timekeeper who talked; NULL when the user is not registered.';
COMMENT ON COLUMN smdr.matched_legs.code IS 'Code billed (for unverified legs the code as entered, which bills nobody); NULL when unassigned with nothing entered.';
COMMENT ON COLUMN smdr.matched_legs.client_id IS 'Client billed; NULL when unassigned.';
COMMENT ON COLUMN smdr.matched_legs.matter_id IS 'Matter billed; NULL when the code has no matter.';
COMMENT ON COLUMN smdr.matched_legs.match_rule IS 'manual, code, code_pattern, number, number_prefix, default or unassigned: the first rule that matched.';
COMMENT ON COLUMN smdr.matched_legs.unverified IS 'An entered code the register does not have (or not valid that day): in the review queue.';
COMMENT ON COLUMN smdr.matched_legs.blocked IS 'The external number is a blocked client number.';
COMMENT ON COLUMN smdr.matched_legs.external_e164 IS 'The external party''s number in E.164; NULL when withheld or not a number.';
COMMENT ON COLUMN smdr.matched_legs.leg_start_local IS 'The leg''s own local Call Start (differs from the call''s with Call Splitting for Diverts).';
COMMENT ON COLUMN smdr.matched_legs.kind IS 'talk or conference.';
COMMENT ON COLUMN smdr.matched_legs.user_extension IS 'Extension of the internal user who talked.';
COMMENT ON COLUMN smdr.matched_legs.user_name IS 'Name of that user as the PBX printed it.';
COMMENT ON COLUMN smdr.matched_legs.timekeeper_name IS 'Registered name of the timekeeper.';
COMMENT ON COLUMN smdr.matched_legs.entered_code IS 'Account code entered on the call; empty if none.';
COMMENT ON COLUMN smdr.matched_legs.external_number IS 'External party''s number as the PBX printed it.';
COMMENT ON COLUMN smdr.matched_legs.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.matched_legs.matter_name IS 'Registered name of the matter.';
COMMENT ON COLUMN smdr.matched_legs.connected_seconds IS 'Talk time of the leg in seconds.';
COMMENT ON COLUMN smdr.matched_legs.hold_seconds IS 'Hold time of the leg in seconds.';
COMMENT ON COLUMN smdr.matched_legs.direction IS 'I inbound, O outbound.';
COMMENT ON COLUMN smdr.matched_legs.assigned_by IS 'For manual: who assigned the code.';
COMMENT ON COLUMN smdr.matched_legs.assigned_at IS 'For manual: when.';
COMMENT ON COLUMN smdr.matched_legs.assignment_note IS 'For manual: the note given.';
COMMENT ON COLUMN smdr.matched_legs.matched_at IS 'When the leg was last matched or assigned.';

-- MARK: call_suggestions

CREATE OR REPLACE FUNCTION smdr.call_suggestions(p_external_e164 text, p_timekeeper_ids text[])
RETURNS TABLE (code text, rank bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    -- Ranked from history: the codes this number was billed to most often (by calls), then the
    -- codes the call's timekeepers bill most (smdr.timekeeper_code_calls); active exact codes
    -- only (assign takes no pattern), at most 3.
    SELECT b.code, row_number() OVER (ORDER BY b.source, b.calls DESC, b.code)
    FROM (
        SELECT DISTINCT ON (h.code) h.code, h.source, h.calls
        FROM (
            SELECT p.code, 1 AS source, count(DISTINCT (p.site_id, p.call_id, p.call_start_local)) AS calls
            FROM smdr.leg_match AS p
            WHERE p_external_e164 IS NOT NULL AND p.external_e164 = p_external_e164 AND p.client_id IS NOT NULL
            GROUP BY p.code
            UNION ALL
            SELECT t.code, 2, sum(t.calls)
            FROM smdr.timekeeper_code_calls AS t
            WHERE t.timekeeper_id = ANY (p_timekeeper_ids)
            GROUP BY t.code
        ) AS h
        JOIN smdr.account_code AS a ON a.code = h.code AND a.active AND a.code !~ '[?*]'
        ORDER BY h.code, h.source, h.calls DESC
    ) AS b
    ORDER BY b.source, b.calls DESC, b.code
    LIMIT 3
$fn$;
COMMENT ON FUNCTION smdr.call_suggestions(text, text[]) IS 'The review queue''s suggestions for a call with this external number (E.164) and these timekeepers, best first: the codes the number was billed to most often, then those the timekeepers bill most; active exact codes, at most 3. smdr.unassigned_calls and the web app''s queue both call it.';
REVOKE ALL ON FUNCTION smdr.call_suggestions(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION smdr.call_suggestions(text, text[]) TO smdr_analyst, smdr_billing, smdr_rater;

-- MARK: unassigned_calls

CREATE OR REPLACE VIEW smdr.unassigned_calls AS
WITH queue AS (
    SELECT m.site_id, m.call_id, m.call_start_local,
           (array_agg(m.external_number ORDER BY m.leg_start_local, m.leg_ordinal))[1] AS external_number,
           (array_agg(m.external_e164 ORDER BY m.leg_start_local, m.leg_ordinal) FILTER (WHERE m.external_e164 IS NOT NULL))[1] AS external_e164,
           max(m.entered_code) AS entered_code,
           bool_or(m.unverified) AS unverified,
           array_agg(DISTINCT m.timekeeper_id) FILTER (WHERE m.timekeeper_id IS NOT NULL) AS timekeeper_ids,
           string_agg(DISTINCT m.user_name, ', ') AS user_names,
           count(*)::integer AS legs,
           sum(l.connected_seconds)::bigint AS connected_seconds
    FROM smdr.leg_match AS m
    JOIN smdr.call_leg AS l
      ON l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
     AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
    WHERE m.match_rule = 'unassigned'
    GROUP BY m.site_id, m.call_id, m.call_start_local
)
SELECT s.name AS site,
       q.call_id,
       q.call_start_local,
       q.external_number,
       q.entered_code,
       CASE WHEN q.unverified THEN 'unverified' ELSE 'no match' END AS reason,
       coalesce(sg.suggestions, '{}') AS suggestions,
       q.external_e164,
       q.timekeeper_ids,
       q.user_names,
       q.legs,
       q.connected_seconds
FROM queue AS q
JOIN smdr.site AS s ON s.id = q.site_id
LEFT JOIN LATERAL (
    SELECT array_agg(x.code ORDER BY x.rank) AS suggestions
    FROM smdr.call_suggestions(q.external_e164, q.timekeeper_ids) AS x
) AS sg ON true;
COMMENT ON VIEW smdr.unassigned_calls IS 'The review queue: calls with billable time that no rule could give a client. Give one a code with smdr assign or smdr.assign_call; it then leaves the queue.';
COMMENT ON COLUMN smdr.unassigned_calls.site IS 'Site name.';
COMMENT ON COLUMN smdr.unassigned_calls.call_id IS 'Call ID: smdr assign --call-id.';
COMMENT ON COLUMN smdr.unassigned_calls.call_start_local IS 'Local start of the call''s first leg: smdr assign --start when the Call ID is ambiguous.';
COMMENT ON COLUMN smdr.unassigned_calls.external_number IS 'The external party''s number as the PBX printed it (first billable leg).';
COMMENT ON COLUMN smdr.unassigned_calls.entered_code IS 'The account code entered on the phone; empty if none.';
COMMENT ON COLUMN smdr.unassigned_calls.reason IS 'unverified: the entered code is not registered (or not valid that day); no match: nothing entered and no number or default matched.';
COMMENT ON COLUMN smdr.unassigned_calls.suggestions IS 'Up to 3 active exact codes (smdr assign takes them), best first: those this number was billed to most often, then those the call''s timekeepers bill most (by calls, each timekeeper''s counted: smdr.timekeeper_code_calls).';
COMMENT ON COLUMN smdr.unassigned_calls.external_e164 IS 'The external number in E.164; NULL when withheld or not a number.';
COMMENT ON COLUMN smdr.unassigned_calls.timekeeper_ids IS 'Registered timekeepers on the call''s billable legs.';
COMMENT ON COLUMN smdr.unassigned_calls.user_names IS 'Names of the internal users who talked.';
COMMENT ON COLUMN smdr.unassigned_calls.legs IS 'Billable legs of the call.';
COMMENT ON COLUMN smdr.unassigned_calls.connected_seconds IS 'Talk time of those legs, in seconds.';

-- MARK: charges

CREATE OR REPLACE VIEW smdr.charges AS
SELECT c.charge_id,
       c.rating_run,
       c.kind,
       s.name AS site,
       c.client_id,
       c.matter_id,
       c.code,
       c.timekeeper_id,
       c.timekeeper_name,
       c.charge_date,
       c.scope,
       c.calls,
       c.legs,
       c.raw_seconds,
       c.billed_seconds,
       c.billed_hours,
       c.hourly_rate,
       c.amount,
       c.currency,
       c.plan_id,
       c.rule,
       c.trace,
       cl.name AS client_name,
       mt.name AS matter_name,
       c.blocked,
       c.first_start_local,
       c.call_ids,
       c.call_starts,
       c.leg_starts,
       c.leg_ordinals,
       date_trunc('month', c.charge_date)::date AS month,
       p.month IS NOT NULL AS closed,
       c.site_id
FROM smdr.charge AS c
JOIN smdr.rating_day AS d ON d.site_id = c.site_id AND d.charge_date = c.charge_date AND d.rating_run = c.rating_run
JOIN smdr.site AS s ON s.id = c.site_id
LEFT JOIN smdr.client AS cl ON cl.client_id = c.client_id
LEFT JOIN smdr.matter AS mt ON mt.client_id = c.client_id AND mt.matter_id = c.matter_id
LEFT JOIN smdr.rating_period AS p ON p.month = date_trunc('month', c.charge_date)::date;
COMMENT ON VIEW smdr.charges IS 'What is billed: the charges of the current rating run of each site and day (smdr rate, smdr rate --rerate). One row is a timekeeper''s billed time under one plan (fee), or a leg''s carrier cost passed on (expense). Filter on charge_date for speed: smdr.charge is partitioned by it.';
COMMENT ON COLUMN smdr.charges.charge_id IS 'Unique number of the charge (a re-rate that changes a day gives its charges new numbers).';
COMMENT ON COLUMN smdr.charges.rating_run IS 'The rating run that derived it (smdr.rating_run).';
COMMENT ON COLUMN smdr.charges.kind IS 'fee: billed time; expense: carrier cost (Advice of Charge) passed on with the plan''s markup.';
COMMENT ON COLUMN smdr.charges.site IS 'Site name.';
COMMENT ON COLUMN smdr.charges.client_id IS 'The client billed.';
COMMENT ON COLUMN smdr.charges.matter_id IS 'The matter billed; NULL when the code bills the client without a matter.';
COMMENT ON COLUMN smdr.charges.code IS 'The account code the time bills.';
COMMENT ON COLUMN smdr.charges.timekeeper_id IS 'The registered timekeeper whose time it is; NULL when the user is not registered.';
COMMENT ON COLUMN smdr.charges.timekeeper_name IS 'The timekeeper''s registered name when rated (else the user''s name on the PBX).';
COMMENT ON COLUMN smdr.charges.charge_date IS 'Local day (at the site) of the start of the first call covered.';
COMMENT ON COLUMN smdr.charges.scope IS 'What the charge covers: leg (one leg), call (the timekeeper''s legs of one call) or client_day (the timekeeper''s time for one client and matter on one day, summed before rounding; code is the first call''s).';
COMMENT ON COLUMN smdr.charges.calls IS 'Calls the charge covers.';
COMMENT ON COLUMN smdr.charges.legs IS 'Billable legs the charge covers.';
COMMENT ON COLUMN smdr.charges.raw_seconds IS 'Talk time, plus hold time when the plan bills it, before grace, minimum and rounding; 0 for an expense (its fee has the time).';
COMMENT ON COLUMN smdr.charges.billed_seconds IS 'Seconds billed after grace, minimum and rounding (0: below the grace, not billed).';
COMMENT ON COLUMN smdr.charges.billed_hours IS 'billed_seconds / 3600: the hours on the bill.';
COMMENT ON COLUMN smdr.charges.hourly_rate IS 'The plan''s rate per hour; NULL for an expense.';
COMMENT ON COLUMN smdr.charges.amount IS 'billed_seconds × hourly_rate / 3600, computed exactly (not from the rounded billed_hours), or the carrier cost with markup; rounded half-up to the currency''s minor unit.';
COMMENT ON COLUMN smdr.charges.currency IS 'ISO 4217 currency of amount.';
COMMENT ON COLUMN smdr.charges.plan_id IS 'The rate plan applied (smdr register export plans).';
COMMENT ON COLUMN smdr.charges.rule IS 'How the legs were matched to the code (manual, code, code_pattern, number, number_prefix, default; comma-separated when several).';
COMMENT ON COLUMN smdr.charges.trace IS 'How the amount was derived, in words: time, grace, minimum, rounding, hours × rate.';
COMMENT ON COLUMN smdr.charges.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.charges.matter_name IS 'Registered name of the matter.';
COMMENT ON COLUMN smdr.charges.blocked IS 'A leg''s external number is a blocked client number: check before billing.';
COMMENT ON COLUMN smdr.charges.first_start_local IS 'Local start of the first leg covered.';
COMMENT ON COLUMN smdr.charges.call_ids IS 'Call IDs of the calls covered; with call_starts the calls'' keys in smdr.matched_legs and smdr.usage_report.';
COMMENT ON COLUMN smdr.charges.call_starts IS 'Local starts of those calls (call_start_local), in the same order.';
COMMENT ON COLUMN smdr.charges.leg_starts IS 'Local Call Start of each leg covered (leg_start_local in smdr.matched_legs).';
COMMENT ON COLUMN smdr.charges.leg_ordinals IS 'leg_ordinal of each leg covered, in the same order as leg_starts.';
COMMENT ON COLUMN smdr.charges.month IS 'First day of the month of charge_date.';
COMMENT ON COLUMN smdr.charges.closed IS 'The month is closed (smdr period close): re-rating no longer changes it.';
COMMENT ON COLUMN smdr.charges.site_id IS 'The site''s number (smdr.site.id).';

-- MARK: unrated_legs

CREATE OR REPLACE VIEW smdr.unrated_legs AS
SELECT s.name AS site,
       u.charge_date,
       u.call_id,
       u.call_start_local,
       u.leg_start_local,
       u.leg_ordinal,
       u.client_id,
       cl.name AS client_name,
       u.matter_id,
       u.code,
       u.timekeeper_id,
       t.name AS timekeeper_name,
       u.talk_seconds,
       u.reason,
       u.rating_run
FROM smdr.unrated_leg AS u
JOIN smdr.rating_day AS d ON d.site_id = u.site_id AND d.charge_date = u.charge_date AND d.rating_run = u.rating_run
JOIN smdr.site AS s ON s.id = u.site_id
LEFT JOIN smdr.client AS cl ON cl.client_id = u.client_id
LEFT JOIN smdr.timekeeper AS t ON t.timekeeper_id = u.timekeeper_id;
COMMENT ON VIEW smdr.unrated_legs IS 'Billable time that bills nobody yet: legs with a client but no rate plan assigned to them at the call''s start, as of the current rating run. Assign a plan (smdr register import rates) and re-rate (smdr rate --rerate) to bill them.';
COMMENT ON COLUMN smdr.unrated_legs.site IS 'Site name.';
COMMENT ON COLUMN smdr.unrated_legs.charge_date IS 'Local day of the call''s start.';
COMMENT ON COLUMN smdr.unrated_legs.call_id IS 'Call ID of the call.';
COMMENT ON COLUMN smdr.unrated_legs.call_start_local IS 'Local start of the call''s first leg: with site and call_id the call''s key.';
COMMENT ON COLUMN smdr.unrated_legs.leg_start_local IS 'The leg''s own local Call Start.';
COMMENT ON COLUMN smdr.unrated_legs.leg_ordinal IS 'The leg''s leg_ordinal (smdr.matched_legs).';
COMMENT ON COLUMN smdr.unrated_legs.client_id IS 'The client the leg bills.';
COMMENT ON COLUMN smdr.unrated_legs.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.unrated_legs.matter_id IS 'The matter; NULL when none.';
COMMENT ON COLUMN smdr.unrated_legs.code IS 'The code the leg bills.';
COMMENT ON COLUMN smdr.unrated_legs.timekeeper_id IS 'The timekeeper; NULL when the user is not registered.';
COMMENT ON COLUMN smdr.unrated_legs.timekeeper_name IS 'Registered name of the timekeeper.';
COMMENT ON COLUMN smdr.unrated_legs.talk_seconds IS 'Talk time of the leg, in seconds.';
COMMENT ON COLUMN smdr.unrated_legs.reason IS 'Why it was not rated.';
COMMENT ON COLUMN smdr.unrated_legs.rating_run IS 'The rating run that found it.';

-- MARK: usage_report

CREATE OR REPLACE VIEW smdr.usage_report AS
WITH rows AS (
    -- One grouping over the call's billable legs and the current charges that cover it, so a
    -- filter on date or call_start_local reaches both (and prunes smdr.charge by charge_date,
    -- which is the local day of the start of every call a charge covers).
    SELECT m.site_id, m.call_id, m.call_start_local, m.call_start_local::date AS date,
           true AS is_leg, m.leg_start_local, m.leg_ordinal,
           l.connected_seconds, l.hold_seconds, l.direction, m.user_name, m.user_extension, m.timekeeper_id,
           t.name AS timekeeper_name, m.external_number, m.external_e164,
           CASE WHEN l.party1_kind = 'trunk' THEN l.party1_name WHEN l.party2_kind = 'trunk' THEN l.party2_name END AS trunk_name,
           m.entered_code, m.code, m.client_id, m.matter_id, m.match_rule, m.unverified, m.blocked,
           NULL::bigint AS charge_id, NULL::text AS kind, NULL::integer AS covered_calls,
           NULL::numeric AS billed_hours, NULL::numeric AS amount, NULL::text AS currency
    FROM smdr.leg_match AS m
    JOIN smdr.call_leg AS l
      ON l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
     AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
    LEFT JOIN smdr.timekeeper AS t ON t.timekeeper_id = m.timekeeper_id
    UNION ALL
    SELECT c.site_id, k.call_id, k.call_start, c.charge_date,
           false, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL,
           NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           c.charge_id, c.kind, c.calls,
           c.billed_hours, c.amount, c.currency
    FROM smdr.charge AS c
    JOIN smdr.rating_day AS d ON d.site_id = c.site_id AND d.charge_date = c.charge_date AND d.rating_run = c.rating_run
    CROSS JOIN LATERAL (
        SELECT c.call_ids[1], c.call_starts[1] WHERE c.calls = 1
        UNION ALL
        SELECT * FROM unnest(c.call_ids, c.call_starts) WHERE c.calls > 1
    ) AS k (call_id, call_start)
), calls AS (
    SELECT r.site_id, r.call_id, r.call_start_local, r.date,
           count(*) FILTER (WHERE r.is_leg)::integer AS legs,
           sum(r.connected_seconds)::bigint AS talk_seconds,
           sum(r.hold_seconds)::bigint AS hold_seconds,
           (array_agg(r.direction ORDER BY r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS direction,
           string_agg(DISTINCT r.user_name || ' (' || r.user_extension || ')', ', ') AS users,
           array_agg(DISTINCT r.timekeeper_id) FILTER (WHERE r.timekeeper_id IS NOT NULL) AS timekeeper_ids,
           string_agg(DISTINCT r.timekeeper_name, ', ') AS timekeeper_names,
           (array_agg(r.external_number ORDER BY r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS external_number,
           (array_agg(r.external_e164 ORDER BY r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.external_e164 IS NOT NULL))[1] AS external_e164,
           (array_agg(r.trunk_name ORDER BY r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.trunk_name <> ''))[1] AS external_name,
           max(r.entered_code) AS entered_code,
           -- A call's legs share the code entered; they differ only where a number or a default
           -- matched leg by leg: the call shows its first assigned leg's.
           (array_agg(r.code ORDER BY r.client_id IS NULL, r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS code,
           (array_agg(r.client_id ORDER BY r.client_id IS NULL, r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS client_id,
           (array_agg(r.matter_id ORDER BY r.client_id IS NULL, r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS matter_id,
           (array_agg(r.match_rule ORDER BY r.client_id IS NULL, r.leg_start_local, r.leg_ordinal) FILTER (WHERE r.is_leg))[1] AS match_rule,
           bool_or(r.unverified) AS unverified,
           bool_or(r.blocked) AS blocked,
           -- Only a charge covering this call alone (covered_calls = 1: every leg or call charge,
           -- and a client_day charge of one call) counts in the billed columns; a client_day
           -- charge of several calls was rounded once for all and cannot be split exactly, so it
           -- is listed in shared_charge_ids instead.
           sum(r.billed_hours) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'fee') AS billed_hours,
           sum(r.amount) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'fee') AS amount,
           sum(r.amount) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'expense') AS expenses,
           min(r.currency) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'fee') AS currency,
           count(DISTINCT r.currency) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'fee') > 1 AS mixed_currencies,
           min(r.currency) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'expense') AS expense_currency,
           count(DISTINCT r.currency) FILTER (WHERE r.covered_calls = 1 AND r.kind = 'expense') > 1 AS mixed_expense_currencies,
           coalesce(array_agg(r.charge_id ORDER BY r.charge_id) FILTER (WHERE NOT r.is_leg), '{}') AS charge_ids,
           coalesce(array_agg(r.charge_id ORDER BY r.charge_id) FILTER (WHERE r.covered_calls > 1), '{}') AS shared_charge_ids
    FROM rows AS r
    GROUP BY r.site_id, r.call_id, r.call_start_local, r.date
    HAVING bool_or(r.is_leg)
)
SELECT q.date,
       q.call_start_local::time AS time,
       s.name AS site,
       q.call_id,
       q.direction,
       q.users,
       q.timekeeper_ids,
       q.timekeeper_names,
       q.external_number,
       q.external_e164,
       q.external_name,
       round(q.talk_seconds / 60.0, 1) AS minutes,
       q.talk_seconds,
       q.code,
       q.client_id,
       cl.name AS client_name,
       q.matter_id,
       mt.name AS matter_name,
       q.match_rule,
       q.billed_hours,
       CASE WHEN NOT q.mixed_currencies THEN q.amount END AS amount,
       CASE WHEN NOT q.mixed_currencies THEN q.currency END AS currency,
       CASE WHEN NOT q.mixed_expense_currencies THEN q.expenses END AS expenses,
       CASE WHEN NOT q.mixed_expense_currencies THEN q.expense_currency END AS expense_currency,
       q.charge_ids,
       q.shared_charge_ids,
       q.call_start_local,
       q.hold_seconds,
       q.legs,
       q.entered_code,
       q.unverified,
       q.blocked
FROM calls AS q
JOIN smdr.site AS s ON s.id = q.site_id
LEFT JOIN smdr.client AS cl ON cl.client_id = q.client_id
LEFT JOIN smdr.matter AS mt ON mt.client_id = q.client_id AND mt.matter_id = q.matter_id;
COMMENT ON VIEW smdr.usage_report IS 'The usage report: one row per call with billable time (an internal user talking to an outside party), assigned or not, with who talked, to whom, for how long, the client it bills and what it was billed in the current rating run. billed_hours and amount count the charges that cover this call alone; a client_day charge covering several calls (rounded once for all of them) cannot be split between them, so it is counted on none and its number is listed in shared_charge_ids (see smdr.charges). Filter on date (or call_start_local) for speed.';
COMMENT ON COLUMN smdr.usage_report.date IS 'Local date of the call''s start (site time).';
COMMENT ON COLUMN smdr.usage_report.time IS 'Local time of the call''s start.';
COMMENT ON COLUMN smdr.usage_report.site IS 'Site name.';
COMMENT ON COLUMN smdr.usage_report.call_id IS 'Call ID (with site and call_start_local the call''s key: smdr assign --call-id).';
COMMENT ON COLUMN smdr.usage_report.direction IS 'I inbound, O outbound (of the call''s first billable leg).';
COMMENT ON COLUMN smdr.usage_report.users IS 'The internal users who talked, as the PBX names them, with their extensions.';
COMMENT ON COLUMN smdr.usage_report.timekeeper_ids IS 'The registered timekeepers among them; NULL when none is registered.';
COMMENT ON COLUMN smdr.usage_report.timekeeper_names IS 'Their registered names.';
COMMENT ON COLUMN smdr.usage_report.external_number IS 'The outside party''s number as the PBX printed it (caller for inbound, dialled for outbound; first billable leg).';
COMMENT ON COLUMN smdr.usage_report.external_e164 IS 'That number in E.164; NULL when withheld or not a number.';
COMMENT ON COLUMN smdr.usage_report.external_name IS 'The name the PBX gave the trunk side (the outside party): a caller name where the line carries one, else the line''s name; NULL when none.';
COMMENT ON COLUMN smdr.usage_report.minutes IS 'Talk time of the call''s billable legs in minutes, to 0.1.';
COMMENT ON COLUMN smdr.usage_report.talk_seconds IS 'Talk time of the call''s billable legs in seconds (hold not included).';
COMMENT ON COLUMN smdr.usage_report.code IS 'The code the call bills (of its first assigned leg); for an unverified call the code as entered; NULL when unassigned with nothing entered.';
COMMENT ON COLUMN smdr.usage_report.client_id IS 'The client billed; NULL when unassigned (the call is in smdr.unassigned_calls).';
COMMENT ON COLUMN smdr.usage_report.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.usage_report.matter_id IS 'The matter billed; NULL when none.';
COMMENT ON COLUMN smdr.usage_report.matter_name IS 'Registered name of the matter.';
COMMENT ON COLUMN smdr.usage_report.match_rule IS 'Why the call bills the client: manual, code, code_pattern, number, number_prefix, default, or unassigned.';
COMMENT ON COLUMN smdr.usage_report.billed_hours IS 'Hours billed for this call alone (sum of its fee charges covering only it); NULL when none: not rated, unassigned, or billed only within a shared client_day charge (shared_charge_ids).';
COMMENT ON COLUMN smdr.usage_report.amount IS 'Fees for those hours in currency; NULL when none, or when they are in more than one currency (see charge_ids).';
COMMENT ON COLUMN smdr.usage_report.currency IS 'ISO 4217 currency of amount.';
COMMENT ON COLUMN smdr.usage_report.expenses IS 'Carrier cost passed on for this call alone (expense charges), in expense_currency; NULL when none, or when in more than one currency.';
COMMENT ON COLUMN smdr.usage_report.expense_currency IS 'ISO 4217 currency of expenses (the carrier''s, which can differ from the fees'').';
COMMENT ON COLUMN smdr.usage_report.charge_ids IS 'Every current charge covering this call (smdr.charges.charge_id), counted here or not.';
COMMENT ON COLUMN smdr.usage_report.shared_charge_ids IS 'Current charges that cover this call together with others (client_day scope): not counted in billed_hours, amount or expenses.';
COMMENT ON COLUMN smdr.usage_report.call_start_local IS 'Local start of the call''s first leg (date and time together): with site and call_id the call''s key.';
COMMENT ON COLUMN smdr.usage_report.hold_seconds IS 'Hold time of the call''s billable legs in seconds.';
COMMENT ON COLUMN smdr.usage_report.legs IS 'Billable legs of the call.';
COMMENT ON COLUMN smdr.usage_report.entered_code IS 'Account code entered on the phone; empty if none.';
COMMENT ON COLUMN smdr.usage_report.unverified IS 'The entered code is not registered (or not valid that day): in the review queue.';
COMMENT ON COLUMN smdr.usage_report.blocked IS 'The outside number is a blocked client number.';

-- MARK: billing_code_summary

CREATE OR REPLACE VIEW smdr.billing_code_summary AS
SELECT p.month,
       p.code,
       p.currency,
       p.client_id,
       p.matter_id,
       count(*)::integer AS calls,
       coalesce(round(sum(p.raw_seconds) / 60.0, 1), 0) AS minutes,
       coalesce(sum(p.billed_hours), 0) AS billed_hours,
       coalesce(sum(p.amount), 0) AS amount,
       coalesce(sum(p.expenses), 0) AS expenses,
       cl.name AS client_name,
       mt.name AS matter_name,
       sum(p.charges)::integer AS charges,
       r.month IS NOT NULL AS closed
FROM (
    -- One row per call (and month, code, currency) with the charges covering it; a charge of
    -- several calls counts its sums on its first call only (n = 1), so each is summed once.
    SELECT date_trunc('month', c.charge_date)::date AS month, c.code, c.currency, c.client_id, c.matter_id,
           sum(c.raw_seconds) FILTER (WHERE k.n = 1 AND c.kind = 'fee') AS raw_seconds,
           sum(c.billed_hours) FILTER (WHERE k.n = 1 AND c.kind = 'fee') AS billed_hours,
           sum(c.amount) FILTER (WHERE k.n = 1 AND c.kind = 'fee') AS amount,
           sum(c.amount) FILTER (WHERE k.n = 1 AND c.kind = 'expense') AS expenses,
           count(*) FILTER (WHERE k.n = 1) AS charges
    FROM smdr.charge AS c
    JOIN smdr.rating_day AS d ON d.site_id = c.site_id AND d.charge_date = c.charge_date AND d.rating_run = c.rating_run
    -- Most charges cover one call: only those of several are unnested (a function call per row).
    CROSS JOIN LATERAL (
        SELECT c.call_ids[1], c.call_starts[1], 1::bigint WHERE c.calls = 1
        UNION ALL
        SELECT * FROM unnest(c.call_ids, c.call_starts) WITH ORDINALITY WHERE c.calls > 1
    ) AS k (call_id, call_start, n)
    GROUP BY 1, c.code, c.currency, c.client_id, c.matter_id, c.site_id, k.call_id, k.call_start
) AS p
LEFT JOIN smdr.client AS cl ON cl.client_id = p.client_id
LEFT JOIN smdr.matter AS mt ON mt.client_id = p.client_id AND mt.matter_id = p.matter_id
LEFT JOIN smdr.rating_period AS r ON r.month = p.month
GROUP BY p.month, p.code, p.currency, p.client_id, p.matter_id, cl.name, mt.name, r.month;
COMMENT ON VIEW smdr.billing_code_summary IS 'Billed time per month and account code (and currency), from the current charges: fees in amount, carrier cost passed on in expenses.';
COMMENT ON COLUMN smdr.billing_code_summary.month IS 'First day of the month (of the charges'' local dates).';
COMMENT ON COLUMN smdr.billing_code_summary.code IS 'The account code billed.';
COMMENT ON COLUMN smdr.billing_code_summary.currency IS 'ISO 4217 currency of amount and expenses (a code billed in two currencies has two rows).';
COMMENT ON COLUMN smdr.billing_code_summary.client_id IS 'The code''s client.';
COMMENT ON COLUMN smdr.billing_code_summary.matter_id IS 'The code''s matter; NULL when none.';
COMMENT ON COLUMN smdr.billing_code_summary.calls IS 'Calls with a charge of this code in the month, each counted once (a transferred call billed to two timekeepers is one call).';
COMMENT ON COLUMN smdr.billing_code_summary.minutes IS 'Time the fees cover, in minutes to 0.1, before grace, minimum and rounding: talk, plus hold where the plan bills hold.';
COMMENT ON COLUMN smdr.billing_code_summary.billed_hours IS 'Hours billed (after grace, minimum and rounding).';
COMMENT ON COLUMN smdr.billing_code_summary.amount IS 'Fees billed, in currency.';
COMMENT ON COLUMN smdr.billing_code_summary.expenses IS 'Carrier cost passed on (expense charges), in currency.';
COMMENT ON COLUMN smdr.billing_code_summary.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.billing_code_summary.matter_name IS 'Registered name of the matter.';
COMMENT ON COLUMN smdr.billing_code_summary.charges IS 'Charges (fee and expense lines) summed.';
COMMENT ON COLUMN smdr.billing_code_summary.closed IS 'The month is closed (smdr period close).';

-- MARK: client_statement

-- Sorted by declaration, so ORDER BY line_type puts a matter's items before its total and the
-- client's total after both, also for charges without a matter (matter_id NULL, like the total).
DO $statement_line$
BEGIN
    IF to_regtype('smdr.statement_line') IS NULL THEN
        CREATE TYPE smdr.statement_line AS ENUM ('item', 'matter_total', 'client_total');
    END IF;
END
$statement_line$;
COMMENT ON TYPE smdr.statement_line IS 'A line of smdr.client_statement: item (one charge), matter_total, client_total; sorts in that order.';

CREATE OR REPLACE VIEW smdr.client_statement AS
-- Three branches rather than GROUPING SETS: PostgreSQL 15 does not push a filter (client_id,
-- month) into a grouping-sets query, so one client's statement would group every charge.
SELECT c.client_id, c.month, c.matter_id, 'item'::smdr.statement_line AS line_type, c.currency,
       c.charge_date, c.first_start_local, c.charge_id, c.client_name, c.matter_name, c.kind, c.code, c.site,
       c.timekeeper_id, c.timekeeper_name, c.calls, c.hourly_rate, c.trace,
       1 AS charges,
       CASE WHEN c.kind = 'fee' THEN c.billed_hours ELSE 0 END AS billed_hours,
       c.amount,
       CASE WHEN c.kind = 'expense' THEN c.amount ELSE 0 END AS expenses,
       c.closed
FROM smdr.charges AS c
UNION ALL
SELECT c.client_id, c.month, c.matter_id, 'matter_total', c.currency,
       NULL, NULL, NULL, c.client_name, c.matter_name, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL,
       count(*)::integer,
       coalesce(sum(c.billed_hours) FILTER (WHERE c.kind = 'fee'), 0),
       sum(c.amount),
       coalesce(sum(c.amount) FILTER (WHERE c.kind = 'expense'), 0),
       c.closed
FROM smdr.charges AS c
GROUP BY c.client_id, c.month, c.matter_id, c.currency, c.client_name, c.matter_name, c.closed
UNION ALL
SELECT c.client_id, c.month, NULL, 'client_total', c.currency,
       NULL, NULL, NULL, c.client_name, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL,
       count(*)::integer,
       coalesce(sum(c.billed_hours) FILTER (WHERE c.kind = 'fee'), 0),
       sum(c.amount),
       coalesce(sum(c.amount) FILTER (WHERE c.kind = 'expense'), 0),
       c.closed
FROM smdr.charges AS c
GROUP BY c.client_id, c.month, c.currency, c.client_name, c.closed;
COMMENT ON VIEW smdr.client_statement IS 'A client''s statement per month from the current charges: one item line per charge, a matter_total line per matter and a client_total line per client and month, each per currency. ORDER BY client_id, month, matter_id NULLS LAST, line_type, currency, charge_date, first_start_local reads like the statement.';
COMMENT ON COLUMN smdr.client_statement.client_id IS 'The client.';
COMMENT ON COLUMN smdr.client_statement.month IS 'First day of the month.';
COMMENT ON COLUMN smdr.client_statement.matter_id IS 'The matter; NULL for charges without a matter (and their matter_total), and on client_total lines.';
COMMENT ON COLUMN smdr.client_statement.line_type IS 'item: one charge; matter_total: the matter''s sum for the month; client_total: the client''s sum for the month (ORDER BY sorts them in that order).';
COMMENT ON COLUMN smdr.client_statement.currency IS 'ISO 4217 currency of amount (totals are per currency).';
COMMENT ON COLUMN smdr.client_statement.charge_date IS 'Item: local day of the charge; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.first_start_local IS 'Item: local start of the first leg covered; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.charge_id IS 'Item: the charge (smdr.charges.charge_id); NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.client_statement.matter_name IS 'Registered name of the matter; NULL on client_total.';
COMMENT ON COLUMN smdr.client_statement.kind IS 'Item: fee or expense; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.code IS 'Item: the account code; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.site IS 'Item: site name; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.timekeeper_id IS 'Item: the timekeeper; NULL on totals and when not registered.';
COMMENT ON COLUMN smdr.client_statement.timekeeper_name IS 'Item: the timekeeper''s name; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.calls IS 'Item: calls the charge covers; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.hourly_rate IS 'Item: the rate per hour of a fee; NULL for expenses and on totals.';
COMMENT ON COLUMN smdr.client_statement.trace IS 'Item: how the amount was derived; NULL on totals.';
COMMENT ON COLUMN smdr.client_statement.charges IS 'Charges on the line: 1 for an item, how many for a total.';
COMMENT ON COLUMN smdr.client_statement.billed_hours IS 'Hours billed (fees only).';
COMMENT ON COLUMN smdr.client_statement.amount IS 'Amount in currency: fees and expenses.';
COMMENT ON COLUMN smdr.client_statement.expenses IS 'Part of amount that is carrier cost passed on.';
COMMENT ON COLUMN smdr.client_statement.closed IS 'The month is closed (smdr period close): the statement no longer changes.';

-- MARK: client_credit

CREATE OR REPLACE VIEW smdr.client_credit AS
WITH open_billed AS (
    SELECT c.client_id, c.currency, sum(c.amount) AS amount, count(*) AS charges, max(c.charge_date) AS last_charge_date
    FROM smdr.charges AS c
    WHERE NOT c.closed
    GROUP BY c.client_id, c.currency
)
SELECT cl.client_id,
       cl.name AS client_name,
       cl.credit_limit,
       cl.credit_currency,
       coalesce(b.amount, 0) AS billed_open,
       cl.credit_limit - coalesce(b.amount, 0) AS remaining,
       cur.currency,
       coalesce(o.other, '{}') AS billed_open_other,
       coalesce(b.amount, 0) > cl.credit_limit AS over_limit,
       coalesce(b.charges, 0)::integer AS open_charges,
       b.last_charge_date
FROM smdr.client AS cl
CROSS JOIN LATERAL (
    -- The limit's currency; without one, the currency most of the client's open charges are in.
    SELECT coalesce(cl.credit_currency,
                    (SELECT x.currency FROM open_billed AS x WHERE x.client_id = cl.client_id
                     ORDER BY x.charges DESC, x.currency LIMIT 1)) AS currency
) AS cur
LEFT JOIN open_billed AS b ON b.client_id = cl.client_id AND b.currency = cur.currency
LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(x.currency, x.amount) AS other
    FROM open_billed AS x
    WHERE x.client_id = cl.client_id AND x.currency <> cur.currency
) AS o ON true;
COMMENT ON VIEW smdr.client_credit IS 'Per client: the credit limit, what is billed and not yet closed (current charges, fees and expenses, in months not closed with smdr period close), and what remains. Amounts in another currency than the limit''s are not converted: they are shown apart in billed_open_other and do not count against the limit.';
COMMENT ON COLUMN smdr.client_credit.client_id IS 'The client.';
COMMENT ON COLUMN smdr.client_credit.client_name IS 'Registered name of the client.';
COMMENT ON COLUMN smdr.client_credit.credit_limit IS 'Most the client may owe before billing staff act; NULL: no limit.';
COMMENT ON COLUMN smdr.client_credit.credit_currency IS 'Currency of credit_limit.';
COMMENT ON COLUMN smdr.client_credit.billed_open IS 'Sum of the client''s current charges in open months, in currency (0 when none).';
COMMENT ON COLUMN smdr.client_credit.remaining IS 'credit_limit − billed_open (negative: over the limit); NULL without a limit.';
COMMENT ON COLUMN smdr.client_credit.currency IS 'Currency of billed_open: credit_currency, or without one the currency most of the client''s open charges are in; NULL when neither.';
COMMENT ON COLUMN smdr.client_credit.billed_open_other IS 'Open charges in other currencies, summed per currency ({"USD": 12.00}); not counted in billed_open or remaining.';
COMMENT ON COLUMN smdr.client_credit.over_limit IS 'billed_open exceeds credit_limit; NULL without a limit.';
COMMENT ON COLUMN smdr.client_credit.open_charges IS 'Charges counted in billed_open.';
COMMENT ON COLUMN smdr.client_credit.last_charge_date IS 'Latest charge_date counted in billed_open.';

-- MARK: ingest_health

CREATE OR REPLACE VIEW smdr.ingest_health AS
SELECT s.name AS site,
       r.last_received_at,
       lc.last_call_start_local,
       coalesce(r.lines_today, 0) AS lines_today,
       coalesce(r.rejects_today, 0) AS rejects_today,
       coalesce(g.gaps, 0) AS call_id_gaps_today,
       q.calls AS review_queue,
       s.time_zone,
       t.today AS local_today,
       coalesce(g.calls, 0) AS call_ids_today,
       coalesce(g.restarts, 0) AS call_id_restarts_today,
       u.legs AS unrated_legs
FROM smdr.site AS s
CROSS JOIN LATERAL (
    SELECT (now() AT TIME ZONE s.time_zone)::date AS today,
           ((now() AT TIME ZONE s.time_zone)::date::timestamp AT TIME ZONE s.time_zone) AS midnight
) AS t
LEFT JOIN LATERAL (
    -- Only the partitions a line received today can be in: the months from two days ago (the
    -- earliest local yesterday anywhere) on, and unparsable lines (0001-01-01).
    SELECT max(r.received_at) AS last_received_at,
           count(*) FILTER (WHERE r.received_at >= t.midnight) AS lines_today,
           count(*) FILTER (WHERE r.received_at >= t.midnight AND r.parse_error IS NOT NULL) AS rejects_today
    FROM smdr.raw_record AS r
    WHERE r.site_id = s.id
      AND (r.call_month >= date_trunc('month', now() - interval '2 days')::date OR r.call_month = DATE '0001-01-01')
) AS r ON true
LEFT JOIN LATERAL (
    SELECT max(l.call_start_local) AS last_call_start_local
    FROM smdr.call_leg AS l
    WHERE l.site_id = s.id AND l.call_start = (SELECT max(x.call_start) FROM smdr.call_leg AS x WHERE x.site_id = s.id)
) AS lc ON true
LEFT JOIN LATERAL (
    -- The day's Call IDs in the order their calls started; an ID lower than the one before starts
    -- a new run (the PBX rebooted and numbered from 1000000 again). Missing IDs are counted inside
    -- each run, between its smallest and largest.
    SELECT sum(runs.missing)::bigint AS gaps, sum(runs.ids)::bigint AS calls, greatest(count(*) - 1, 0)::integer AS restarts
    FROM (
        SELECT max(n.call_id) - min(n.call_id) + 1 - count(*) AS missing, count(*) AS ids
        FROM (
            SELECT o.call_id, sum(o.restart) OVER (ORDER BY o.first_start, o.call_id) AS run
            FROM (
                SELECT i.call_id, i.first_start,
                       CASE WHEN i.call_id < lag(i.call_id) OVER (ORDER BY i.first_start, i.call_id) THEN 1 ELSE 0 END AS restart
                FROM (
                    SELECT l.call_id, min(l.call_start) AS first_start
                    FROM smdr.call_leg AS l
                    WHERE l.site_id = s.id AND l.call_start >= t.midnight
                      AND l.call_month >= date_trunc('month', now() - interval '2 days')::date
                    GROUP BY l.call_id
                ) AS i
            ) AS o
        ) AS n
        GROUP BY n.run
    ) AS runs
) AS g ON true
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS calls
    FROM (
        SELECT DISTINCT m.call_id, m.call_start_local
        FROM smdr.leg_match AS m
        WHERE m.site_id = s.id AND m.match_rule = 'unassigned'
    ) AS x
) AS q ON true
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS legs
    FROM smdr.unrated_leg AS x
    JOIN smdr.rating_day AS d ON d.site_id = x.site_id AND d.charge_date = x.charge_date AND d.rating_run = x.rating_run
    WHERE x.site_id = s.id
) AS u ON true;
COMMENT ON VIEW smdr.ingest_health IS 'Is each site''s PBX sending? Per site: the last line and call seen, today''s lines and rejected lines, missing Call IDs today, and the queues waiting for billing staff. "Today" is the site''s local day; only this month''s (and on the first days the previous month''s) partitions are read.';
COMMENT ON COLUMN smdr.ingest_health.site IS 'Site name.';
COMMENT ON COLUMN smdr.ingest_health.last_received_at IS 'When the latest line arrived; NULL when none arrived for a call of this or the previous month (see last_call_start_local).';
COMMENT ON COLUMN smdr.ingest_health.last_call_start_local IS 'Local start of the latest call leg stored, whenever it was.';
COMMENT ON COLUMN smdr.ingest_health.lines_today IS 'Lines received since the site''s local midnight, parsed or rejected.';
COMMENT ON COLUMN smdr.ingest_health.rejects_today IS 'Of those, lines that did not parse (smdr.raw_record.parse_error).';
COMMENT ON COLUMN smdr.ingest_health.call_id_gaps_today IS 'Call IDs missing among the calls started since local midnight: within each run of increasing IDs (a reboot starts a new run at 1000000), the IDs between the smallest and largest that have no leg. Calls still in progress count until their record arrives; a Call ID used twice in the day counts once.';
COMMENT ON COLUMN smdr.ingest_health.review_queue IS 'Calls of the site waiting in smdr.unassigned_calls.';
COMMENT ON COLUMN smdr.ingest_health.time_zone IS 'The site''s time zone, which defines its "today".';
COMMENT ON COLUMN smdr.ingest_health.local_today IS 'The site''s local date now.';
COMMENT ON COLUMN smdr.ingest_health.call_ids_today IS 'Distinct Call IDs of calls started since local midnight.';
COMMENT ON COLUMN smdr.ingest_health.call_id_restarts_today IS 'Times the Call IDs started again from a lower number today (PBX reboots).';
COMMENT ON COLUMN smdr.ingest_health.unrated_legs IS 'Billable legs of the site with a client but no rate plan, in smdr.unrated_legs.';

-- MARK: privileges

GRANT SELECT ON smdr.matched_legs, smdr.unassigned_calls TO smdr_analyst, smdr_billing, smdr_rater;
GRANT SELECT ON smdr.charges, smdr.unrated_legs, smdr.usage_report, smdr.billing_code_summary, smdr.client_statement,
    smdr.client_credit, smdr.ingest_health TO smdr_analyst, smdr_billing;
-- smdr_analyst has no grant on any table: it reads the views above, which run with their owner's rights.

INSERT INTO smdr.schema_version (version, description)
VALUES (3, 'billing register, manual assignments, leg matches, matched_legs and unassigned_calls views')
ON CONFLICT (version) DO NOTHING;
