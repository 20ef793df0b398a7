-- Connector types become data (issue 15): the CHECK on connections.type gives way to a table the
-- migrate step fills from the pair data (shared/pairs), idempotently, so adding a connector type
-- never needs a hand-written SQL change. Plus a connection's non-secret settings and a record's
-- degraded form.

CREATE TABLE freight.connection_types (
  type         text PRIMARY KEY,
  display_name text NOT NULL
);
-- Not tenant data, but every table has RLS forced: everyone reads it; only the owner writes it
-- (the app role's write grants are revoked by the migrate step).
ALTER TABLE freight.connection_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.connection_types FORCE ROW LEVEL SECURITY;
CREATE POLICY connection_types_all ON freight.connection_types USING (true) WITH CHECK (true);

-- The types rows existing connections already use, so the foreign key holds at once; the migrate
-- step upserts every declared type (with its display name) right after.
INSERT INTO freight.connection_types (type, display_name)
SELECT DISTINCT type, type FROM freight.connections
UNION SELECT 'affinity', 'Affinity' UNION SELECT 'attio', 'Attio'
ON CONFLICT (type) DO NOTHING;

ALTER TABLE freight.connections DROP CONSTRAINT IF EXISTS connections_type_check;
ALTER TABLE freight.connections
  ADD CONSTRAINT connections_type_fkey FOREIGN KEY (type) REFERENCES freight.connection_types (type);

-- Non-secret settings of a connection (e.g. an organisation id), validated by its type's schema.
ALTER TABLE freight.connections ADD COLUMN settings jsonb NULL;

-- A record migrated in a documented degraded form: status succeeded, and why it is degraded.
ALTER TABLE freight.job_records ADD COLUMN degraded text NULL;
