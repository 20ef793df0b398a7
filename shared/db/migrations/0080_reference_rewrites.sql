-- The references pass (records written before what they reference, rewritten once at the end) is
-- part of a clean job, not a retry: it is counted here, apart from `attempts`, so retry figures
-- (the report, the batch log, /v1/stats' record retry rate) count only real retries.
ALTER TABLE freight.job_records ADD COLUMN reference_rewrites integer NOT NULL DEFAULT 0;
ALTER TABLE freight.job_batches ADD COLUMN reference_rewrites integer NOT NULL DEFAULT 0;
