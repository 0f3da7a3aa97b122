-- The web app for billing staff (smdr web, serve --web): its users and their sessions (DESIGN §8).
-- The app reads and writes everything else through the same stores and functions as the CLI.

-- MARK: web_user

CREATE TABLE IF NOT EXISTS smdr.web_user (
    name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    role text NOT NULL CHECK (role IN ('admin', 'billing', 'viewer')),
    password_hash text NOT NULL CHECK (password_hash ~ '^\$2[abxy]\$[0-9]{2}\$'),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smdr.web_user IS 'People who sign in to the web app (smdr user add). admin: everything, users too; billing: assigns codes and edits the register; viewer: reads only (the server refuses every change).';
COMMENT ON COLUMN smdr.web_user.name IS 'Sign-in name: letters, digits and . _ @ -, at most 64.';
COMMENT ON COLUMN smdr.web_user.role IS 'admin, billing or viewer.';
COMMENT ON COLUMN smdr.web_user.password_hash IS 'bcrypt hash of the password ($2b$, cost in the hash); the password itself is never stored.';
COMMENT ON COLUMN smdr.web_user.active IS 'false: cannot sign in (smdr user disable); their sessions are ended.';
COMMENT ON COLUMN smdr.web_user.created_at IS 'When the user was added.';
COMMENT ON COLUMN smdr.web_user.password_changed_at IS 'When the password was last set.';

-- MARK: web_session

CREATE TABLE IF NOT EXISTS smdr.web_session (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_name text NOT NULL REFERENCES smdr.web_user (name) ON DELETE CASCADE ON UPDATE CASCADE,
    csrf_token text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    remote_address text NOT NULL DEFAULT ''
);
COMMENT ON TABLE smdr.web_session IS 'Signed-in sessions of the web app. The browser holds a random token in an HttpOnly cookie; only its SHA-256 is stored, so a copy of this table signs nobody in. A session ends at sign-out, after SMDR_WEB_SESSION_IDLE without a request, or SMDR_WEB_SESSION_LIFETIME after sign-in, whichever comes first.';
COMMENT ON COLUMN smdr.web_session.token_hash IS 'SHA-256 of the session cookie''s token.';
COMMENT ON COLUMN smdr.web_session.user_name IS 'Who signed in.';
COMMENT ON COLUMN smdr.web_session.csrf_token IS 'The token every form of this session carries; a change without it is refused.';
COMMENT ON COLUMN smdr.web_session.created_at IS 'Sign-in time.';
COMMENT ON COLUMN smdr.web_session.last_seen_at IS 'Last request.';
COMMENT ON COLUMN smdr.web_session.idle_expires_at IS 'Ends here unless a request comes first (last request + SMDR_WEB_SESSION_IDLE).';
COMMENT ON COLUMN smdr.web_session.expires_at IS 'Ends here whatever happens (sign-in + SMDR_WEB_SESSION_LIFETIME).';
COMMENT ON COLUMN smdr.web_session.remote_address IS 'The address that signed in, for the record.';
CREATE INDEX IF NOT EXISTS web_session_user_idx ON smdr.web_session (user_name);
COMMENT ON INDEX smdr.web_session_user_idx IS 'Ending a user''s sessions (disable, new password).';

-- MARK: statements

CREATE INDEX IF NOT EXISTS rating_day_total_client_idx ON smdr.rating_day_total (client_id, charge_date);
COMMENT ON INDEX smdr.rating_day_total_client_idx IS 'One client''s months (the web app''s statement list filtered by client) without reading every client''s totals.';

-- MARK: indexes of the web app's lists

-- smdr match builds the leg_match ones on each month's new partition before attaching it
-- (MatchStore), like those of 030_matching.sql.
-- The calls page: a period's calls newest first, across partitions in index order.
CREATE INDEX IF NOT EXISTS leg_match_call_start_idx ON smdr.leg_match (call_start_local);
COMMENT ON INDEX smdr.leg_match_call_start_idx IS 'The web app''s calls page: calls newest first within a period, and the page''s calls read back from smdr.usage_report.';
-- The review queue filtered by timekeeper (only queued legs: small).
CREATE INDEX IF NOT EXISTS leg_match_unassigned_timekeeper_idx ON smdr.leg_match (timekeeper_id, site_id, call_start_local)
    WHERE match_rule = 'unassigned';
COMMENT ON INDEX smdr.leg_match_unassigned_timekeeper_idx IS 'The web app''s review queue filtered by timekeeper, newest first.';
-- "Recently assigned" under the review queue: the latest manual assignments.
CREATE INDEX IF NOT EXISTS manual_assignment_assigned_at_idx ON smdr.manual_assignment (assigned_at);
COMMENT ON INDEX smdr.manual_assignment_assigned_at_idx IS 'The web app''s review queue: the latest manual assignments first.';

-- MARK: register pages

CREATE INDEX IF NOT EXISTS account_code_client_idx ON smdr.account_code (client_id);
COMMENT ON INDEX smdr.account_code_client_idx IS 'A client''s codes: the register''s clients page (search, a client''s codes and numbers) and /register/codes?client=.';
CREATE INDEX IF NOT EXISTS account_code_code_c_idx ON smdr.account_code (code COLLATE "C");
COMMENT ON INDEX smdr.account_code_code_c_idx IS 'The codes list in export''s byte order (COLLATE "C", whatever the database collation): a page is an index scan that stops at SMDR_WEB_PAGE_SIZE.';
CREATE INDEX IF NOT EXISTS client_number_number_c_idx ON smdr.client_number (number COLLATE "C");
COMMENT ON INDEX smdr.client_number_number_c_idx IS 'The numbers list in export''s byte order (COLLATE "C"): a page is an index scan that stops at SMDR_WEB_PAGE_SIZE.';
CREATE INDEX IF NOT EXISTS client_client_id_c_idx ON smdr.client (client_id COLLATE "C");
COMMENT ON INDEX smdr.client_client_id_c_idx IS 'The register''s clients page in byte order of client_id (COLLATE "C").';
CREATE INDEX IF NOT EXISTS client_number_code_idx ON smdr.client_number (code);
COMMENT ON INDEX smdr.client_number_code_idx IS 'A code''s numbers: the register''s clients page lists each client''s numbers through its codes.';

INSERT INTO smdr.schema_version (version, description)
VALUES (5, 'web app: users and sessions')
ON CONFLICT (version) DO NOTHING;
