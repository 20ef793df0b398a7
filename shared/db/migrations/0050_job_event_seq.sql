-- SSE event ids were this table's identity column: one sequence for the whole platform, so the
-- first event id a tenant saw told it how busy every other tenant was. Each event now carries its
-- job's own sequence number (1, 2, 3 … per job), which the stream sends as `id:` and compares
-- `Last-Event-ID` with. Writers already hold the job's advisory lock while appending, so
-- max(seq) + 1 is race-free; the unique index makes any slip an error instead of a duplicate.

ALTER TABLE freight.job_events ADD COLUMN seq bigint;

-- Existing events, numbered per job in their old order (RLS is forced on the owner too: admin scope).
SELECT set_config('app.scope', 'admin', true);
UPDATE freight.job_events e SET seq = n.seq
FROM (SELECT id, row_number() OVER (PARTITION BY job_id ORDER BY id) AS seq FROM freight.job_events) n
WHERE n.id = e.id;
SELECT set_config('app.scope', '', true);

ALTER TABLE freight.job_events ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX job_events_job_seq ON freight.job_events (tenant_id, job_id, seq);
DROP INDEX freight.job_events_job;
