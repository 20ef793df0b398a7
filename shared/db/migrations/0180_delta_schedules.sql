-- Delta schedules (issue 17 item 2): a Temporal Schedule in the tenant's namespace whose action starts
-- a deltaScheduleTick workflow; each tick creates the next delta job through the job service, following
-- the schedule's previous completed delta (or `follows` the first time). The row keeps what the API
-- lists (the Temporal schedule itself holds pause state, next and recent action times).
CREATE TABLE freight.delta_schedules (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL REFERENCES freight.tenants (id),
  namespace            text NOT NULL,
  temporal_schedule_id text NOT NULL,
  follows              uuid NOT NULL REFERENCES freight.jobs (id),
  every_seconds        integer NOT NULL CHECK (every_seconds >= 60),
  end_at               timestamptz NULL,
  on_conflict          text NOT NULL CHECK (on_conflict IN ('keep-target', 'take-source')),
  -- The delta jobs' request (the followed job's connections, objects, batching, retry policy, mapping).
  job_template         jsonb NOT NULL,
  paused               boolean NOT NULL DEFAULT false,
  idempotency_key      text NULL,
  request_hash         text NOT NULL,
  -- Set while the Temporal schedule could not be created (repeat the request with the same Idempotency-Key).
  error                text NULL,
  created_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz NULL,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX delta_schedules_tenant ON freight.delta_schedules (tenant_id, created_at DESC, id DESC);
CREATE INDEX delta_schedules_live ON freight.delta_schedules (namespace) WHERE deleted_at IS NULL;

-- One row per tick of a schedule (the tick workflow's id carries the scheduled time): the delta job it
-- created, or why it created none (the previous delta still running, a refusal of the job service).
CREATE TABLE freight.delta_schedule_runs (
  tenant_id    uuid NOT NULL REFERENCES freight.tenants (id),
  schedule_id  uuid NOT NULL REFERENCES freight.delta_schedules (id),
  tick_id      text NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('created', 'skipped_running', 'refused')),
  job_id       uuid NULL REFERENCES freight.jobs (id),
  follows      uuid NULL,
  error_code   text NULL,
  error        text NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schedule_id, tick_id)
);
CREATE INDEX delta_schedule_runs_jobs ON freight.delta_schedule_runs (tenant_id, schedule_id, created_at DESC) ;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['delta_schedules', 'delta_schedule_runs'] LOOP
    EXECUTE format('ALTER TABLE freight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE freight.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON freight.%I USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())'
      ' WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())', t || '_isolation', t);
  END LOOP;
END $$;
