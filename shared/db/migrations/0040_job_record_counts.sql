-- Record-log totals per job, object and status, kept by statement-level triggers on job_records.
-- Job detail, progress events, /metrics and /v1/stats read these rows instead of counting the log:
-- a count over a million-record job (or, for /metrics, over every job ever run) on every request or
-- scrape grew without bound. The triggers see each statement's rows as transition tables, so a bulk
-- upsert of a flushed chunk costs one aggregate upsert here, not one per record.
--
-- Concurrency: flushes of one job's batches run in parallel. Each trigger first takes the job's
-- advisory lock (held to commit, the same key the event log uses), so two transactions never hold
-- counter rows in opposite orders and cannot deadlock; the lock is held only from the end of the
-- flush statement to its commit.

CREATE TABLE freight.job_record_counts (
  tenant_id uuid NOT NULL,
  job_id    uuid NOT NULL REFERENCES freight.jobs (id),
  object    text NOT NULL,
  status    text NOT NULL,
  -- Rows of the log in this state, and their attempts summed (for retry rates).
  records   bigint NOT NULL DEFAULT 0,
  attempts  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, job_id, object, status)
);
ALTER TABLE freight.job_record_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_record_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY job_record_counts_isolation ON freight.job_record_counts
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());

-- Adds signed deltas (one row per tenant/job/object/status) in key order.
CREATE FUNCTION freight.apply_record_count_deltas(deltas jsonb) RETURNS void
  LANGUAGE plpgsql
  SET search_path = freight, pg_temp
  AS $$
DECLARE
  job uuid;
BEGIN
  FOR job IN SELECT DISTINCT (d->>'job_id')::uuid FROM jsonb_array_elements(deltas) d ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('job-events:' || job::text, 0));
  END LOOP;
  INSERT INTO freight.job_record_counts AS c (tenant_id, job_id, object, status, records, attempts)
  SELECT (d->>'tenant_id')::uuid, (d->>'job_id')::uuid, d->>'object', d->>'status', (d->>'records')::bigint, (d->>'attempts')::bigint
  FROM jsonb_array_elements(deltas) d
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, job_id, object, status)
  DO UPDATE SET records = c.records + excluded.records, attempts = c.attempts + excluded.attempts;
END $$;

CREATE FUNCTION freight.job_records_counted() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = freight, pg_temp
  AS $$
DECLARE
  deltas jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(x) INTO deltas FROM (
      SELECT tenant_id, job_id, object, status, count(*) AS records, sum(attempts) AS attempts
      FROM new_rows GROUP BY 1, 2, 3, 4) x;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT jsonb_agg(x) INTO deltas FROM (
      SELECT tenant_id, job_id, object, status, sum(records) AS records, sum(attempts) AS attempts FROM (
        SELECT tenant_id, job_id, object, status, -1 AS records, -attempts AS attempts FROM old_rows
        UNION ALL
        SELECT tenant_id, job_id, object, status, 1, attempts FROM new_rows) u
      GROUP BY 1, 2, 3, 4
      HAVING sum(records) <> 0 OR sum(attempts) <> 0) x;
  ELSE
    SELECT jsonb_agg(x) INTO deltas FROM (
      SELECT tenant_id, job_id, object, status, -count(*) AS records, -sum(attempts) AS attempts
      FROM old_rows GROUP BY 1, 2, 3, 4) x;
  END IF;
  IF deltas IS NOT NULL THEN
    PERFORM freight.apply_record_count_deltas(deltas);
  END IF;
  RETURN NULL;
END $$;

-- Transition tables allow one event per trigger; an upsert fires both the INSERT and UPDATE ones.
CREATE TRIGGER job_records_count_insert AFTER INSERT ON freight.job_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION freight.job_records_counted();
CREATE TRIGGER job_records_count_update AFTER UPDATE ON freight.job_records
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION freight.job_records_counted();
CREATE TRIGGER job_records_count_delete AFTER DELETE ON freight.job_records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION freight.job_records_counted();

-- Existing logs, counted once (RLS is forced on the owner too: read and write in the admin scope).
SELECT set_config('app.scope', 'admin', true);
INSERT INTO freight.job_record_counts (tenant_id, job_id, object, status, records, attempts)
SELECT tenant_id, job_id, object, status, count(*), sum(attempts) FROM freight.job_records GROUP BY 1, 2, 3, 4;
SELECT set_config('app.scope', '', true);
