-- Worker liveness: one row per worker process, upserted every few seconds (workers/heartbeat.ts).
-- Platform data, not tenant data: no tenant_id and no tenant policy. RLS is still enabled and forced
-- so only the admin scope reads it and only the worker's own upsert path writes it; the app role gets
-- the table through migrate.ts's schema-wide DML grant, like every other table.

CREATE TABLE freight.worker_heartbeats (
  worker_id    text PRIMARY KEY CHECK (length(worker_id) BETWEEN 1 AND 200),
  hostname     text NOT NULL,
  pid          integer NOT NULL,
  task_queue   text NOT NULL,
  namespaces   text[] NOT NULL DEFAULT '{}',
  started_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  stopped_at   timestamptz NULL
);
CREATE INDEX worker_heartbeats_last_seen ON freight.worker_heartbeats (last_seen_at DESC);
ALTER TABLE freight.worker_heartbeats ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.worker_heartbeats FORCE ROW LEVEL SECURITY;
CREATE POLICY worker_heartbeats_admin ON freight.worker_heartbeats
  USING (freight.is_admin_scope())
  WITH CHECK (freight.is_admin_scope());
