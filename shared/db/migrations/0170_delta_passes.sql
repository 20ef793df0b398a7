-- Delta passes for cutover (issue 17 item 2). Kept with the id map, written when a record succeeds:
-- the content hash of the source record as read (a delta moves only records whose hash changed),
-- per field Freight wrote, the hash of the target's own view of it (the after-image, { field: hash }:
-- a delta compares the target's current view of those fields with it before updating, so an edit
-- made in the target is never overwritten silently) and the job object the record belongs to
-- (deleted-at-source detection).
ALTER TABLE freight.id_map
  ADD COLUMN source_object text NULL,
  ADD COLUMN source_hash   text NULL,
  ADD COLUMN image_hashes  jsonb NULL,
  ADD COLUMN hashed_at     timestamptz NULL;
CREATE INDEX id_map_source_object ON freight.id_map (tenant_id, scope, source_object) WHERE source_object IS NOT NULL;

-- What a delta job lists for the cutover: records edited in the target since Freight wrote them
-- (conflicts, with both versions and the resolution applied) and records deleted at the source
-- (present in the id map, absent from the source: reported, never deleted in the target).
CREATE TABLE freight.delta_items (
  tenant_id     uuid NOT NULL,
  job_id        uuid NOT NULL REFERENCES freight.jobs (id),
  class         text NOT NULL CHECK (class IN ('conflict', 'deleted')),
  object        text NOT NULL,
  source_id     text NOT NULL,
  target_object text NULL,
  target_id     text NULL,
  -- conflict: the target's current view and what the source would write; deleted: null.
  target_values jsonb NULL,
  source_values jsonb NULL,
  -- conflict: 'kept_target' or 'took_source'.
  resolution    text NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, job_id, class, object, source_id)
);
ALTER TABLE freight.delta_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.delta_items FORCE ROW LEVEL SECURITY;
CREATE POLICY delta_items_isolation ON freight.delta_items
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
