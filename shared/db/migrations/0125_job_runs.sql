-- The workflow runs of a job (issue 17 item 3). A job's first run starts at creation; a job that
-- failed on a fatal error can be resumed, and a closed job's failed records retried, each as a new
-- workflow execution of the same workflow id, continuing from what the batch table and the record log
-- hold. One row per such execution (continue-as-new stays inside one run): what it was started for,
-- its Temporal ids, when it ran and the job status it ended with.

CREATE TABLE freight.job_runs (
  tenant_id   uuid NOT NULL,
  job_id      uuid NOT NULL REFERENCES freight.jobs (id),
  seq         integer NOT NULL CHECK (seq >= 1),
  reason      text NOT NULL CHECK (reason IN ('start', 'resume', 'reopen')),
  workflow_id text NOT NULL,
  -- Temporal's run id of the execution's first run; null until Temporal answered the start.
  run_id      text NULL,
  -- The job's status when the run ended (null while it runs).
  status      text NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz NULL,
  PRIMARY KEY (tenant_id, job_id, seq)
);
ALTER TABLE freight.job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY job_runs_isolation ON freight.job_runs
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
