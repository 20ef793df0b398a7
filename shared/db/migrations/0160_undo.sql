-- Undo a job (issue 17 item 1). An undo is a job of its own kind, linked to the job it takes back:
-- it has the same batches, record log, events and report as a migration, read from the images below.
ALTER TABLE freight.jobs ADD COLUMN kind text NOT NULL DEFAULT 'migration' CHECK (kind IN ('migration', 'undo'));
ALTER TABLE freight.jobs ADD COLUMN undo_of uuid NULL REFERENCES freight.jobs (id);
ALTER TABLE freight.jobs ADD CONSTRAINT jobs_undo_link CHECK ((kind = 'undo') = (undo_of IS NOT NULL));
CREATE INDEX jobs_undo_of ON freight.jobs (tenant_id, undo_of) WHERE undo_of IS NOT NULL;

-- The index of a job's write images: one row per source record the job wrote (keyed like the record
-- log: the job's object kind and the source id). The images themselves
-- (the target record's state before the job's first write of it, and what the job's last write left)
-- are in S3 next to the batch archive (before_key / after_key, NDJSON lines keyed by source).
-- before_key is written ahead of the write and never replaced (a retried write must not take the
-- job's own first write for the state before); after_key and the target follow each write.
CREATE TABLE freight.job_write_images (
  tenant_id     uuid NOT NULL,
  job_id        uuid NOT NULL REFERENCES freight.jobs (id),
  -- The job's object kind (organizations, persons, …): the undo walks them in reverse phase order.
  object        text NOT NULL,
  source_id     text NOT NULL,
  batch_id      text NOT NULL,
  -- Null until the write answered (a record created by the job has no target before).
  target_object text NULL,
  target_id     text NULL,
  -- The target held nothing for this source before the job: the undo deletes what the job created.
  created       boolean NOT NULL,
  before_key    text NOT NULL,
  after_key     text NULL,
  seq           bigserial,
  PRIMARY KEY (tenant_id, job_id, object, source_id)
);
CREATE INDEX job_write_images_walk ON freight.job_write_images (tenant_id, job_id, object, seq);
ALTER TABLE freight.job_write_images ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_write_images FORCE ROW LEVEL SECURITY;
CREATE POLICY job_write_images_isolation ON freight.job_write_images
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
