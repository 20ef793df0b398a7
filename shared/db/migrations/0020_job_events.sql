-- Live updates: an append-only log of what happened to a job (status changes, batch outcomes,
-- progress), written by the worker's bookkeeping in the same transaction as the change itself and
-- announced with pg_notify('freight_job_events', job_id). The API's SSE stream reads it by id, so a
-- client resumes with Last-Event-ID. Writers take a per-job advisory lock before appending, so ids
-- of one job become visible in id order (a reader never skips a late-committing smaller id).

CREATE TABLE freight.job_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES freight.tenants (id),
  job_id      uuid NOT NULL REFERENCES freight.jobs (id),
  type        text NOT NULL CHECK (type IN ('status', 'batch', 'progress')),
  data        jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job ON freight.job_events (tenant_id, job_id, id);
ALTER TABLE freight.job_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_events FORCE ROW LEVEL SECURITY;
CREATE POLICY job_events_isolation ON freight.job_events
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
