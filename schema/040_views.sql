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
    -- Ranked from history: the codes this number was billed to most often (by calls), then the
    -- codes the call's timekeepers bill most; active codes only, at most 3.
    SELECT array_agg(r.code ORDER BY r.source, r.calls DESC, r.code) AS suggestions
    FROM (
        SELECT b.code, b.source, b.calls
        FROM (
            SELECT DISTINCT ON (h.code) h.code, h.source, h.calls
            FROM (
                SELECT p.code, 1 AS source, count(DISTINCT (p.site_id, p.call_id, p.call_start_local)) AS calls
                FROM smdr.leg_match AS p
                WHERE q.external_e164 IS NOT NULL AND p.external_e164 = q.external_e164 AND p.client_id IS NOT NULL
                GROUP BY p.code
                UNION ALL
                SELECT p.code, 2, count(DISTINCT (p.site_id, p.call_id, p.call_start_local))
                FROM smdr.leg_match AS p
                WHERE p.timekeeper_id = ANY (q.timekeeper_ids) AND p.client_id IS NOT NULL
                GROUP BY p.code
            ) AS h
            JOIN smdr.account_code AS a ON a.code = h.code AND a.active AND a.code !~ '[?*]'  -- assign takes exact codes
            ORDER BY h.code, h.source, h.calls DESC
        ) AS b
        ORDER BY b.source, b.calls DESC, b.code
        LIMIT 3
    ) AS r
) AS sg ON true;
COMMENT ON VIEW smdr.unassigned_calls IS 'The review queue: calls with billable time that no rule could give a client. Give one a code with smdr assign or smdr.assign_call; it then leaves the queue.';
COMMENT ON COLUMN smdr.unassigned_calls.site IS 'Site name.';
COMMENT ON COLUMN smdr.unassigned_calls.call_id IS 'Call ID: smdr assign --call-id.';
COMMENT ON COLUMN smdr.unassigned_calls.call_start_local IS 'Local start of the call''s first leg: smdr assign --start when the Call ID is ambiguous.';
COMMENT ON COLUMN smdr.unassigned_calls.external_number IS 'The external party''s number as the PBX printed it (first billable leg).';
COMMENT ON COLUMN smdr.unassigned_calls.entered_code IS 'The account code entered on the phone; empty if none.';
COMMENT ON COLUMN smdr.unassigned_calls.reason IS 'unverified: the entered code is not registered (or not valid that day); no match: nothing entered and no number or default matched.';
COMMENT ON COLUMN smdr.unassigned_calls.suggestions IS 'Up to 3 active exact codes (smdr assign takes them), best first: those this number was billed to most often, then those the call''s timekeepers bill most.';
COMMENT ON COLUMN smdr.unassigned_calls.external_e164 IS 'The external number in E.164; NULL when withheld or not a number.';
COMMENT ON COLUMN smdr.unassigned_calls.timekeeper_ids IS 'Registered timekeepers on the call''s billable legs.';
COMMENT ON COLUMN smdr.unassigned_calls.user_names IS 'Names of the internal users who talked.';
COMMENT ON COLUMN smdr.unassigned_calls.legs IS 'Billable legs of the call.';
COMMENT ON COLUMN smdr.unassigned_calls.connected_seconds IS 'Talk time of those legs, in seconds.';

-- MARK: privileges

GRANT SELECT ON smdr.matched_legs, smdr.unassigned_calls TO smdr_analyst, smdr_billing, smdr_rater;

INSERT INTO smdr.schema_version (version, description)
VALUES (3, 'billing register, manual assignments, leg matches, matched_legs and unassigned_calls views')
ON CONFLICT (version) DO NOTHING;
