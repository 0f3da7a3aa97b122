-- smdr database schema: the one source of the database structure, split by pipeline stage
-- into the files of schema/, applied in name order as one script.
--
-- `smdr migrate` applies them inside one transaction under an advisory lock. The binary
-- carries a copy (Sources/SMDRPostgres/Schema/Schema+SQL.swift): after editing a file here run
-- `scripts/embed-schema.sh` (a test fails while the two differ).
--
-- Every statement is idempotent: applying the files to a database that already has this
-- version changes nothing. A later version adds its changes to the file of their stage as further
-- idempotent statements (ALTER TABLE … ADD COLUMN IF NOT EXISTS, …) and a new schema_version row.
--
-- Tables that grow with traffic (raw_record, call_leg) are partitioned by call_month, the
-- month of the line's Call Start read from its bytes; smdr.ensure_month_partitions() creates
-- monthly partitions on demand.

-- Roles are cluster-wide, so two databases of one cluster may be migrated at the same time:
-- a role created concurrently by the other migration is not an error.
DO $roles$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['smdr_ingest', 'smdr_rater', 'smdr_billing', 'smdr_analyst'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN
                    NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'smdr migrate needs to create role %, and this user may not create roles', role_name
                        USING HINT = 'Create the roles smdr_ingest, smdr_rater, smdr_billing and smdr_analyst once as a superuser, or migrate as a user with CREATEROLE.';
            END;
        END IF;
    END LOOP;
END
$roles$;

CREATE SCHEMA IF NOT EXISTS smdr;
COMMENT ON SCHEMA smdr IS 'SMDR call records from Avaya IP Office PBXs: raw lines, parsed call legs, sites and loader checkpoints.';

-- MARK: schema_version

CREATE TABLE IF NOT EXISTS smdr.schema_version (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smdr.schema_version IS 'One row per schema version applied by smdr migrate.';
COMMENT ON COLUMN smdr.schema_version.version IS 'Schema version number; the highest row is the version of this database.';
COMMENT ON COLUMN smdr.schema_version.description IS 'What the version added.';
COMMENT ON COLUMN smdr.schema_version.applied_at IS 'When the version was first applied.';

INSERT INTO smdr.schema_version (version, description)
VALUES (1, 'sites, raw records, call legs, journal checkpoints, roles')
ON CONFLICT (version) DO NOTHING;

