-- The billing register: clients, matters, account codes, client numbers, defaults and
-- timekeepers (DESIGN §6). Billing staff keep it in their practice-management system and sync
-- it with `smdr register import KIND FILE`; `smdr register export KIND` writes it back.

-- MARK: client

CREATE TABLE IF NOT EXISTS smdr.client (
    client_id text PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 64),
    name text NOT NULL
);
COMMENT ON TABLE smdr.client IS 'A client of the firm, as the practice-management system names it; taken from the client_id and client_name columns of the codes file (smdr register import codes).';
COMMENT ON COLUMN smdr.client.client_id IS 'The client''s identifier in the practice-management system (1 to 64 characters); the key charges and exports use.';
COMMENT ON COLUMN smdr.client.name IS 'The client''s name as shown on reports and statements.';

-- MARK: matter

CREATE TABLE IF NOT EXISTS smdr.matter (
    client_id text NOT NULL REFERENCES smdr.client (client_id),
    matter_id text NOT NULL CHECK (length(matter_id) BETWEEN 1 AND 64),
    name text NOT NULL DEFAULT '',
    PRIMARY KEY (client_id, matter_id)
);
COMMENT ON TABLE smdr.matter IS 'A matter (case, engagement) of a client; taken from the matter_id and matter_name columns of the codes file.';
COMMENT ON COLUMN smdr.matter.client_id IS 'The client the matter belongs to.';
COMMENT ON COLUMN smdr.matter.matter_id IS 'The matter''s identifier in the practice-management system, unique within its client (1 to 64 characters).';
COMMENT ON COLUMN smdr.matter.name IS 'The matter''s name as shown on reports; empty if none was given.';

-- MARK: account_code

CREATE TABLE IF NOT EXISTS smdr.account_code (
    code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9?._/-]{0,31}[A-Za-z0-9?*._/-]$'),
    client_id text NOT NULL REFERENCES smdr.client (client_id),
    matter_id text,
    description text NOT NULL DEFAULT '',
    active boolean NOT NULL DEFAULT true,
    valid_from date,
    valid_to date,
    updated_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (client_id, matter_id) REFERENCES smdr.matter (client_id, matter_id),
    CHECK (valid_from <= valid_to)
);
COMMENT ON TABLE smdr.account_code IS 'A billing code users enter on the phone (IP Office account code), or an IP Office pattern of codes, and the client and matter its calls bill. Codes are never deleted: history refers to them; a code no longer used is made inactive.';
COMMENT ON COLUMN smdr.account_code.code IS 'The code as entered on the phone (1 to 32 letters, digits and - . _ /: HALE-2231), or a pattern: ? stands for one character, a final * for any rest (41??, 7*). An exact code wins over a pattern; of patterns, the most specific wins.';
COMMENT ON COLUMN smdr.account_code.client_id IS 'The client the code bills.';
COMMENT ON COLUMN smdr.account_code.matter_id IS 'The client''s matter the code bills; NULL when the code bills the client without a matter.';
COMMENT ON COLUMN smdr.account_code.description IS 'Free text for billing staff (what the code is for); not used for matching.';
COMMENT ON COLUMN smdr.account_code.active IS 'false: the code is kept for the history that refers to it but no longer matches calls (smdr register import codes --replace makes codes missing from the file inactive).';
COMMENT ON COLUMN smdr.account_code.valid_from IS 'First local date (at the call''s site) on which the code matches calls, inclusive; NULL: no start.';
COMMENT ON COLUMN smdr.account_code.valid_to IS 'Last local date (at the call''s site) on which the code matches calls, inclusive; NULL: open-ended.';
COMMENT ON COLUMN smdr.account_code.updated_at IS 'When the row was last added or changed by an import.';

-- MARK: client_number

CREATE TABLE IF NOT EXISTS smdr.client_number (
    number text PRIMARY KEY CHECK (number ~ '^\+[1-9][0-9]{0,14}$'),
    match text NOT NULL CHECK (match IN ('exact', 'prefix')),
    code text NOT NULL REFERENCES smdr.account_code (code),
    blocked boolean NOT NULL DEFAULT false,
    note text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smdr.client_number IS 'A client''s telephone number or number range: calls from or to it bill the code, when no registered account code was entered on the call.';
COMMENT ON COLUMN smdr.client_number.number IS 'The number in E.164 form with + (+441632960100), or for match prefix the leading digits of a range (+4416329602: a DDI block or switchboard range).';
COMMENT ON COLUMN smdr.client_number.match IS 'exact: only this number; prefix: every number that starts with it (the longest matching prefix wins; an exact number wins over any prefix).';
COMMENT ON COLUMN smdr.client_number.code IS 'The account code the number''s calls bill (an exact code of account_code, not a pattern).';
COMMENT ON COLUMN smdr.client_number.blocked IS 'true: the number is blocked (a blacklist): its calls are still matched and shown, flagged, in reports and the register.';
COMMENT ON COLUMN smdr.client_number.note IS 'Free text; for a blocked number, the reason it is blocked.';
COMMENT ON COLUMN smdr.client_number.updated_at IS 'When the row was last added or changed by an import.';

-- MARK: code_default

CREATE TABLE IF NOT EXISTS smdr.code_default (
    site_id integer NOT NULL REFERENCES smdr.site (id),
    kind text NOT NULL CHECK (kind IN ('extension', 'user', 'ddi')),
    value text NOT NULL CHECK (value <> ''),
    code text NOT NULL REFERENCES smdr.account_code (code),
    PRIMARY KEY (site_id, kind, value)
);
COMMENT ON TABLE smdr.code_default IS 'A default code for calls of a site''s extension, user or dialled-in number (a conference room''s hard-coded code): used when neither an entered code nor a client number matched.';
COMMENT ON COLUMN smdr.code_default.site_id IS 'The site (PBX) the extension, user or DDI belongs to.';
COMMENT ON COLUMN smdr.code_default.kind IS 'extension: the internal party''s extension number; user: the internal party''s user name; ddi: the number dialled in to the site (an inbound call''s Called Number).';
COMMENT ON COLUMN smdr.code_default.value IS 'The extension number, user name or DDI, as the PBX writes it in SMDR.';
COMMENT ON COLUMN smdr.code_default.code IS 'The account code its calls bill (an exact code of account_code, not a pattern).';

-- MARK: timekeeper

CREATE TABLE IF NOT EXISTS smdr.timekeeper (
    timekeeper_id text PRIMARY KEY CHECK (length(timekeeper_id) BETWEEN 1 AND 64),
    name text NOT NULL,
    classification text NOT NULL DEFAULT '',
    site_id integer REFERENCES smdr.site (id),
    extension text CHECK (extension ~ '^[0-9]{1,15}$'),
    user_name text CHECK (user_name <> '')
);
CREATE UNIQUE INDEX IF NOT EXISTS timekeeper_site_extension
    ON smdr.timekeeper (site_id, extension) NULLS NOT DISTINCT WHERE extension IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS timekeeper_site_user_name
    ON smdr.timekeeper (site_id, user_name) NULLS NOT DISTINCT WHERE user_name IS NOT NULL;
COMMENT ON TABLE smdr.timekeeper IS 'A person whose telephone time is billed: the internal user on a billable leg is its timekeeper, found by the site''s user name first, then its extension. One extension or user name of a site belongs to one timekeeper.';
COMMENT ON COLUMN smdr.timekeeper.timekeeper_id IS 'The timekeeper''s identifier in the practice-management system (1 to 64 characters), as exports (LEDES) carry it.';
COMMENT ON COLUMN smdr.timekeeper.name IS 'The timekeeper''s name as shown on reports.';
COMMENT ON COLUMN smdr.timekeeper.classification IS 'LEDES timekeeper classification (PT partner, AS associate, PL paralegal, …); empty if none.';
COMMENT ON COLUMN smdr.timekeeper.site_id IS 'The site whose extension or user name this is; NULL: the extension or user name at any site.';
COMMENT ON COLUMN smdr.timekeeper.extension IS 'The timekeeper''s extension number (digits); NULL if matched by user name only.';
COMMENT ON COLUMN smdr.timekeeper.user_name IS 'The timekeeper''s IP Office user name as SMDR writes it (party names); NULL if matched by extension only.';
COMMENT ON INDEX smdr.timekeeper_site_extension IS 'One timekeeper per extension of a site: a leg''s timekeeper must be unambiguous.';
COMMENT ON INDEX smdr.timekeeper_site_user_name IS 'One timekeeper per user name of a site: a leg''s timekeeper must be unambiguous.';

-- MARK: privileges

GRANT SELECT, INSERT, UPDATE, DELETE
    ON smdr.client, smdr.matter, smdr.account_code, smdr.client_number, smdr.code_default, smdr.timekeeper
    TO smdr_billing;
GRANT SELECT
    ON smdr.client, smdr.matter, smdr.account_code, smdr.client_number, smdr.code_default, smdr.timekeeper
    TO smdr_rater;
