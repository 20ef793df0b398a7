-- Reconciliations of a job (issue 16 item 4): its source and target compared through the vendors'
-- documented APIs after it finished (automatically) and on demand (POST /v1/jobs/{id}/reconcile),
-- each by a reconcileJob workflow of its own. One row per run: who asked, its workflow, its status,
-- the counts the API lists, and the S3 keys of its report (JSON, CSV) beside the job's other reports.

CREATE TABLE freight.job_reconciliations (
  tenant_id       uuid NOT NULL,
  job_id          uuid NOT NULL REFERENCES freight.jobs (id),
  seq             integer NOT NULL CHECK (seq >= 1),
  trigger         text NOT NULL CHECK (trigger IN ('auto', 'manual')),
  workflow_id     text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'not_supported')),
  -- A repeated POST with the same key answers the run it started.
  idempotency_key text NULL,
  requested_by    text NULL,
  -- Differences of every kind, and per kind (null until the run completes).
  differences     integer NULL,
  totals          jsonb NULL,
  error           text NULL,
  json_key        text NULL,
  csv_key         text NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz NULL,
  PRIMARY KEY (tenant_id, job_id, seq),
  UNIQUE (tenant_id, workflow_id)
);
CREATE UNIQUE INDEX job_reconciliations_idempotency ON freight.job_reconciliations (tenant_id, job_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
ALTER TABLE freight.job_reconciliations ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_reconciliations FORCE ROW LEVEL SECURITY;
CREATE POLICY job_reconciliations_isolation ON freight.job_reconciliations
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
