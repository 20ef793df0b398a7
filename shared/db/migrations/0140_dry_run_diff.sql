-- The dry-run diff (issue 16 item 3): a dry run reads the target too and classifies each record —
-- what a real run would do to it — instead of only logging `dry_run`. The class and, for an update,
-- the fields that would change (old → new) sit beside the record's log row; null outside dry runs.

ALTER TABLE freight.job_records
  ADD COLUMN diff_class text NULL
    CHECK (diff_class IN ('create', 'update', 'unchanged', 'conflict', 'refused', 'skipped')),
  -- [{ "attribute": slug, "old": [...], "new": [...] }] for an update; the reason lives in note / error_message.
  ADD COLUMN diff_changes jsonb NULL;

-- The diff view filters a job's rows by class (and object).
CREATE INDEX job_records_diff ON freight.job_records (tenant_id, job_id, diff_class, object) WHERE diff_class IS NOT NULL;
