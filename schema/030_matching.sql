-- The matching stage: manual assignments (an input that survives every re-match), the matcher's
-- verdict per billable leg (derived: smdr match rewrites it), and assigning a code to a call.

-- MARK: manual_assignment

CREATE TABLE IF NOT EXISTS smdr.manual_assignment (
    site_id integer NOT NULL REFERENCES smdr.site (id),
    call_id bigint NOT NULL,
    call_start_local timestamp NOT NULL,
    code text NOT NULL REFERENCES smdr.account_code (code),
    note text NOT NULL DEFAULT '',
    assigned_by text NOT NULL DEFAULT session_user,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, call_id, call_start_local)
);
COMMENT ON TABLE smdr.manual_assignment IS 'Codes people gave calls after they ended ("add a billing code": smdr assign, smdr.assign_call, the review queue). A manual assignment wins over every matching rule and survives every re-match; assigning again replaces it.';
COMMENT ON COLUMN smdr.manual_assignment.site_id IS 'The site of the call.';
COMMENT ON COLUMN smdr.manual_assignment.call_id IS 'The call''s Call ID (field 10).';
COMMENT ON COLUMN smdr.manual_assignment.call_start_local IS 'Local Call Start of the call''s first leg: with site_id and call_id the key of the call (Call IDs restart after a PBX reboot).';
COMMENT ON COLUMN smdr.manual_assignment.code IS 'The registered account code the call bills (smdr.account_code).';
COMMENT ON COLUMN smdr.manual_assignment.note IS 'Why, in the words of the person who assigned it; empty if none.';
COMMENT ON COLUMN smdr.manual_assignment.assigned_by IS 'The database role that assigned the code, or the web app''s user as NAME (web).';
COMMENT ON COLUMN smdr.manual_assignment.assigned_at IS 'When the code was assigned.';

-- MARK: leg_match

CREATE TABLE IF NOT EXISTS smdr.leg_match (
    site_id integer NOT NULL,
    call_month date NOT NULL,
    call_id bigint NOT NULL,
    leg_start_local timestamp NOT NULL,
    leg_ordinal integer NOT NULL,
    call_start_local timestamp NOT NULL,
    kind text NOT NULL CHECK (kind IN ('talk', 'conference')),
    user_extension text NOT NULL,
    user_name text NOT NULL,
    timekeeper_id text,
    entered_code text NOT NULL,
    code text,
    client_id text,
    matter_id text,
    match_rule text NOT NULL CHECK (match_rule IN ('manual', 'code', 'code_pattern', 'number', 'number_prefix', 'default', 'unassigned')),
    unverified boolean NOT NULL,
    blocked boolean NOT NULL,
    external_number text NOT NULL,
    external_e164 text,
    matched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, call_id, call_start_local, leg_start_local, leg_ordinal),
    CHECK ((match_rule = 'unassigned') = (client_id IS NULL)),
    CHECK (NOT unverified OR match_rule = 'unassigned')
) PARTITION BY RANGE (call_start_local);
COMMENT ON TABLE smdr.leg_match IS 'The matcher''s verdict on every billable leg (an internal user talking to an external party, or in a conference with one): its call, timekeeper, code, client and matter, and the rule that decided. Derived: smdr match rewrites the calls of a period; a whole month is written into a new partition that replaces the old one. Partitioned by the month of call_start_local. Read it through smdr.matched_legs and smdr.unassigned_calls.';
COMMENT ON COLUMN smdr.leg_match.site_id IS 'The site of the leg.';
COMMENT ON COLUMN smdr.leg_match.call_month IS 'call_month of the leg in smdr.call_leg.';
COMMENT ON COLUMN smdr.leg_match.call_id IS 'Call ID of the leg (and of its call).';
COMMENT ON COLUMN smdr.leg_match.leg_start_local IS 'The leg''s own local Call Start (call_leg.call_start_local); later legs of a call can differ from the call''s (Call Splitting for Diverts).';
COMMENT ON COLUMN smdr.leg_match.leg_ordinal IS 'leg_ordinal of the leg in smdr.call_leg.';
COMMENT ON COLUMN smdr.leg_match.call_start_local IS 'Local Call Start of the call''s first leg: with site_id and call_id the key of the call (the one smdr assign --start takes).';
COMMENT ON COLUMN smdr.leg_match.kind IS 'talk: an internal user and an external trunk; conference: an internal user''s leg to a conference channel of a conference with an external party.';
COMMENT ON COLUMN smdr.leg_match.user_extension IS 'The internal user on the leg (the person who talked): the extension digits of the E device.';
COMMENT ON COLUMN smdr.leg_match.user_name IS 'The internal user''s name as the PBX printed it.';
COMMENT ON COLUMN smdr.leg_match.timekeeper_id IS 'The registered timekeeper of that user (smdr.timekeeper, by user name first, then extension); NULL when none is registered.';
COMMENT ON COLUMN smdr.leg_match.entered_code IS 'The call''s account code as entered on the phone: the last non-empty Account among its legs, applied to all of them; empty if none.';
COMMENT ON COLUMN smdr.leg_match.code IS 'The code the leg bills; for an unverified leg the code as entered (which bills nobody); NULL when unassigned with nothing entered.';
COMMENT ON COLUMN smdr.leg_match.client_id IS 'The client billed; NULL exactly when match_rule is unassigned.';
COMMENT ON COLUMN smdr.leg_match.matter_id IS 'The matter billed; NULL when the code bills the client without a matter.';
COMMENT ON COLUMN smdr.leg_match.match_rule IS 'The rule that decided, first hit wins: manual, code, code_pattern, number, number_prefix, default, unassigned (DESIGN §6).';
COMMENT ON COLUMN smdr.leg_match.unverified IS 'An account code was entered that the register does not have (or not valid on the call''s local date): it bills nothing and the call waits in the review queue.';
COMMENT ON COLUMN smdr.leg_match.blocked IS 'The external number is a blocked registered client number: the call is matched and shown, flagged.';
COMMENT ON COLUMN smdr.leg_match.external_number IS 'The external party''s number as on the leg (caller for inbound, dialled for outbound; for a conference leg, the external party''s).';
COMMENT ON COLUMN smdr.leg_match.external_e164 IS 'external_number normalised to E.164 with the site''s dial plan; NULL when withheld, a service code, or not a number.';
COMMENT ON COLUMN smdr.leg_match.matched_at IS 'When smdr match wrote the row.';

CREATE TABLE IF NOT EXISTS smdr.leg_match_default PARTITION OF smdr.leg_match DEFAULT;
COMMENT ON TABLE smdr.leg_match_default IS 'Default partition of leg_match; stays empty while smdr match creates each month''s partition.';

-- The primary key serves a call's legs (assign_call, the review queue); every other index costs
-- each written row, so there are only the three the views need.
CREATE INDEX IF NOT EXISTS leg_match_unassigned_idx ON smdr.leg_match (site_id, call_start_local) WHERE match_rule = 'unassigned';
COMMENT ON INDEX smdr.leg_match_unassigned_idx IS 'The review queue.';
CREATE INDEX IF NOT EXISTS leg_match_external_e164_idx ON smdr.leg_match (external_e164, code) WHERE client_id IS NOT NULL;
COMMENT ON INDEX smdr.leg_match_external_e164_idx IS 'Suggestions: the codes a number was billed to before.';
CREATE INDEX IF NOT EXISTS leg_match_timekeeper_idx ON smdr.leg_match (timekeeper_id, code) WHERE client_id IS NOT NULL;
COMMENT ON INDEX smdr.leg_match_timekeeper_idx IS 'Suggestions: the codes a timekeeper bills most.';

-- MARK: leg_match_digest

CREATE TABLE IF NOT EXISTS smdr.leg_match_digest (
    month date PRIMARY KEY,
    digest bytea NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smdr.leg_match_digest IS 'SHA-256 of each month''s leg_match rows as smdr match last wrote them whole: a re-match that derives the same rows leaves the month''s partition alone. Any other write to a month (part of it re-matched, a code assigned) removes its row.';
COMMENT ON COLUMN smdr.leg_match_digest.month IS 'First day of the month.';
COMMENT ON COLUMN smdr.leg_match_digest.digest IS 'SHA-256 of the rows as COPY wrote them.';
COMMENT ON COLUMN smdr.leg_match_digest.written_at IS 'When the month was written.';

-- MARK: timekeeper_code_calls

CREATE TABLE IF NOT EXISTS smdr.timekeeper_code_calls (
    month date NOT NULL,
    timekeeper_id text NOT NULL,
    code text NOT NULL,
    calls integer NOT NULL,
    PRIMARY KEY (timekeeper_id, code, month)
);
COMMENT ON TABLE smdr.timekeeper_code_calls IS 'Derived from leg_match: how many calls each timekeeper billed to each code, per month of the calls'' start. It ranks the review queue''s suggestions ("the codes the call''s timekeepers bill most") without counting every leg of a timekeeper for every queued call. smdr match and smdr.assign_call rewrite a month''s rows whenever they write its leg_match rows.';
COMMENT ON COLUMN smdr.timekeeper_code_calls.month IS 'First day of the month of the calls'' start (call_start_local).';
COMMENT ON COLUMN smdr.timekeeper_code_calls.timekeeper_id IS 'The timekeeper of the legs.';
COMMENT ON COLUMN smdr.timekeeper_code_calls.code IS 'The code the legs bill.';
COMMENT ON COLUMN smdr.timekeeper_code_calls.calls IS 'Distinct calls of the month with a leg of this timekeeper billing this code.';

CREATE OR REPLACE FUNCTION smdr.refresh_timekeeper_code_calls(p_month date) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $fn$
    DELETE FROM smdr.timekeeper_code_calls AS t WHERE t.month = p_month;
    INSERT INTO smdr.timekeeper_code_calls (month, timekeeper_id, code, calls)
    SELECT p_month, m.timekeeper_id, m.code, count(DISTINCT (m.site_id, m.call_id, m.call_start_local))::integer
    FROM smdr.leg_match AS m
    WHERE m.call_start_local >= p_month AND m.call_start_local < p_month + interval '1 month'
      AND m.client_id IS NOT NULL AND m.timekeeper_id IS NOT NULL AND m.code IS NOT NULL
    GROUP BY m.timekeeper_id, m.code;
$fn$;
COMMENT ON FUNCTION smdr.refresh_timekeeper_code_calls(date) IS 'Rewrites one month (its first day) of smdr.timekeeper_code_calls from leg_match.';
REVOKE ALL ON FUNCTION smdr.refresh_timekeeper_code_calls(date) FROM PUBLIC;

-- A database matched before the table existed: fill it once.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM smdr.timekeeper_code_calls) AND EXISTS (SELECT FROM smdr.leg_match) THEN
        INSERT INTO smdr.timekeeper_code_calls (month, timekeeper_id, code, calls)
        SELECT date_trunc('month', m.call_start_local)::date, m.timekeeper_id, m.code,
               count(DISTINCT (m.site_id, m.call_id, m.call_start_local))::integer
        FROM smdr.leg_match AS m
        WHERE m.client_id IS NOT NULL AND m.timekeeper_id IS NOT NULL AND m.code IS NOT NULL
        GROUP BY 1, 2, 3;
    END IF;
END
$do$;

-- MARK: assign_call

CREATE OR REPLACE FUNCTION smdr.call_starts(p_site_id integer, p_call_id bigint) RETURNS timestamp[]
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    leg record;
    first_start timestamptz;
    starts timestamp[] := '{}';
BEGIN
    -- CallStitcher's rule (DESIGN §6): by instant, a leg more than the window (24 h, the
    -- stitcher's default) after the first leg of the current call starts the next call.
    FOR leg IN
        SELECT l.call_start, l.call_start_local FROM smdr.call_leg AS l
        WHERE l.site_id = p_site_id AND l.call_id = p_call_id
        ORDER BY l.call_start, l.leg_ordinal
    LOOP
        IF first_start IS NULL OR leg.call_start > first_start + interval '24 hours' THEN
            first_start := leg.call_start;
            starts := starts || leg.call_start_local;
        END IF;
    END LOOP;
    RETURN starts;
END
$fn$;
COMMENT ON FUNCTION smdr.call_starts(integer, bigint) IS 'The local starts of the calls a Call ID makes at a site: its legs split as smdr match splits them (a leg more than 24 h after the current call''s first leg starts another call). Calls IDs restart after a PBX reboot, so one ID can make several calls.';
REVOKE ALL ON FUNCTION smdr.call_starts(integer, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION smdr.assign_call(
    site text, call_id bigint, call_start_local timestamp, code text, note text DEFAULT ''
) RETURNS TABLE (assigned_call_start_local timestamp, legs integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    v_site_id integer;
    v_code smdr.account_code%ROWTYPE;
    v_starts timestamp[];
    v_start timestamp;
    v_legs integer;
BEGIN
    -- Wait for a running smdr match to finish writing, so this assignment is not lost under it.
    PERFORM pg_advisory_xact_lock(hashtext('smdr.leg_match'));
    SELECT s.id INTO v_site_id FROM smdr.site AS s WHERE s.name = assign_call.site;
    IF v_site_id IS NULL THEN
        RAISE EXCEPTION 'no site named "%"', assign_call.site
            USING ERRCODE = 'no_data_found', HINT = 'smdr site list shows the sites.';
    END IF;
    SELECT * INTO v_code FROM smdr.account_code AS a WHERE a.code = assign_call.code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'code "%" is not registered', assign_call.code
            USING ERRCODE = 'foreign_key_violation', HINT = 'Register it first (smdr register import codes FILE).';
    END IF;
    IF strpos(v_code.code, '?') > 0 OR strpos(v_code.code, '*') > 0 THEN
        RAISE EXCEPTION 'code "%" is a pattern; assign an exact code', assign_call.code
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The calls with this Call ID: those matched, and those its legs make when split as
    -- smdr match splits them (smdr.call_starts), matched or not.
    v_starts := ARRAY(
        SELECT DISTINCT t.start FROM (
            SELECT m.call_start_local AS start FROM smdr.leg_match AS m
            WHERE m.site_id = v_site_id AND m.call_id = assign_call.call_id
            UNION
            SELECT unnest(smdr.call_starts(v_site_id, assign_call.call_id))
        ) AS t ORDER BY t.start);
    IF cardinality(v_starts) = 0 THEN
        v_starts := NULL;
    END IF;
    IF v_starts IS NULL THEN
        RAISE EXCEPTION 'site "%" has no call with Call ID %', assign_call.site, assign_call.call_id
            USING ERRCODE = 'no_data_found';
    END IF;
    IF assign_call.call_start_local IS NULL THEN
        IF cardinality(v_starts) > 1 THEN
            RAISE EXCEPTION 'Call ID % is ambiguous at site "%": calls start %; give the start of one',
                assign_call.call_id, assign_call.site, array_to_string(v_starts, ', ')
                USING ERRCODE = 'cardinality_violation', HINT = 'smdr assign --start ''YYYY-MM-DD HH:MM:SS''';
        END IF;
        v_start := v_starts[1];
    ELSIF assign_call.call_start_local = ANY (v_starts) THEN
        v_start := assign_call.call_start_local;
    ELSE
        RAISE EXCEPTION 'site "%" has no call with Call ID % starting %; calls with that ID start %',
            assign_call.site, assign_call.call_id, assign_call.call_start_local, array_to_string(v_starts, ', ')
            USING ERRCODE = 'no_data_found';
    END IF;

    -- A closed month's charges are final (smdr period close): its calls keep their codes.
    IF EXISTS (SELECT FROM smdr.rating_period AS p WHERE p.month = date_trunc('month', v_start)::date) THEN
        RAISE EXCEPTION 'the call starts % in %, a closed month: its charges are final', v_start, to_char(v_start, 'YYYY-MM')
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = format('smdr period reopen %s, then assign', to_char(v_start, 'YYYY-MM'));
    END IF;

    -- Who: the database role, or the web app's signed-in user (it sets smdr.web_user for the
    -- transaction), as "NAME (web)".
    INSERT INTO smdr.manual_assignment AS a (site_id, call_id, call_start_local, code, note, assigned_by)
    VALUES (v_site_id, assign_call.call_id, v_start, v_code.code, coalesce(assign_call.note, ''),
            coalesce(nullif(current_setting('smdr.web_user', true), '') || ' (web)', session_user))
    ON CONFLICT (site_id, call_id, call_start_local) DO UPDATE
        SET code = EXCLUDED.code, note = EXCLUDED.note, assigned_by = EXCLUDED.assigned_by, assigned_at = now();

    -- The matched legs bill the code at once; smdr match keeps it (manual wins), and writes the
    -- month again (its stored rows no longer are what it last wrote).
    DELETE FROM smdr.leg_match_digest AS g WHERE g.month = date_trunc('month', v_start)::date;
    UPDATE smdr.leg_match AS m
    SET code = v_code.code, client_id = v_code.client_id, matter_id = v_code.matter_id,
        match_rule = 'manual', unverified = false, matched_at = now()
    WHERE m.site_id = v_site_id AND m.call_id = assign_call.call_id AND m.call_start_local = v_start;
    GET DIAGNOSTICS v_legs = ROW_COUNT;
    PERFORM smdr.refresh_timekeeper_code_calls(date_trunc('month', v_start)::date);
    RETURN QUERY SELECT v_start, v_legs;
END
$fn$;
COMMENT ON FUNCTION smdr.assign_call(text, bigint, timestamp, text, text) IS 'Gives a call a registered code after it ended ("add a billing code"), recording who and when; call_start_local (the call''s first leg) is needed only when the Call ID is ambiguous at the site, and the error says so. Returns the call''s start and how many matched legs now bill the code. An unknown site, code or call, or a call in a closed month (smdr.rating_period), is an error and changes nothing. The charges follow at the next smdr rate.';
REVOKE ALL ON FUNCTION smdr.assign_call(text, bigint, timestamp, text, text) FROM PUBLIC;

-- MARK: privileges

GRANT SELECT ON smdr.manual_assignment TO smdr_billing;  -- writes go through smdr.assign_call
GRANT SELECT ON smdr.manual_assignment TO smdr_rater;
GRANT SELECT ON smdr.leg_match TO smdr_rater;  -- smdr match writes as the schema owner: it swaps partitions
GRANT SELECT ON smdr.leg_match TO smdr_billing;
GRANT SELECT ON smdr.timekeeper_code_calls TO smdr_billing;
GRANT SELECT ON smdr.leg_match_digest TO smdr_rater;
GRANT EXECUTE ON FUNCTION smdr.assign_call(text, bigint, timestamp, text, text) TO smdr_billing;
GRANT SELECT ON smdr.call_leg TO smdr_rater;
