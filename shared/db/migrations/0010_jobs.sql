-- Connections, migration jobs, their batches and the per-record log. Same RLS rules as 0001.

CREATE TABLE freight.connections (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES freight.tenants (id),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type              text NOT NULL CHECK (type IN ('affinity', 'attio')),
  base_url          text NOT NULL,
  -- AES-256-GCM of the credentials JSON; key_id names the key so keys can rotate.
  secret_ciphertext bytea NOT NULL,
  secret_iv         bytea NOT NULL,
  secret_tag        bytea NOT NULL,
  key_id            text NOT NULL,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz NULL
);
CREATE INDEX connections_tenant_created ON freight.connections (tenant_id, created_at DESC);
ALTER TABLE freight.connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.connections FORCE ROW LEVEL SECURITY;
CREATE POLICY connections_isolation ON freight.connections
  USING (tenant_id = freight.current_tenant_id())
  WITH CHECK (tenant_id = freight.current_tenant_id());

CREATE TABLE freight.jobs (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES freight.tenants (id),
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN
                         ('pending', 'running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled')),
  source_connection_id uuid NOT NULL REFERENCES freight.connections (id),
  target_connection_id uuid NOT NULL REFERENCES freight.connections (id),
  objects              text[] NOT NULL,
  batch_size           integer NOT NULL CHECK (batch_size BETWEEN 1 AND 1000),
  concurrency          integer NOT NULL CHECK (concurrency BETWEEN 1 AND 64),
  retry_policy         jsonb NOT NULL,
  dry_run              boolean NOT NULL DEFAULT false,
  options              jsonb NOT NULL DEFAULT '{}'::jsonb,
  metadata             jsonb NOT NULL DEFAULT '{}'::jsonb,
  idempotency_key      text NULL,
  namespace            text NOT NULL,
  workflow_id          text NOT NULL,
  estimated_total      integer NULL,
  error                text NULL,
  cancel_reason        text NULL,
  created_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  started_at           timestamptz NULL,
  finished_at          timestamptz NULL,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX jobs_tenant_created ON freight.jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_tenant_status ON freight.jobs (tenant_id, status, created_at DESC);
ALTER TABLE freight.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY jobs_isolation ON freight.jobs
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());

CREATE TABLE freight.job_batches (
  tenant_id        uuid NOT NULL,
  job_id           uuid NOT NULL,
  -- Business key: "<object>-<seq>", stable across retries and continue-as-new.
  id               text NOT NULL,
  object           text NOT NULL,
  seq              integer NOT NULL,
  source_cursor    text NULL,
  next_cursor      text NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN
                     ('pending', 'running', 'succeeded', 'completed_with_errors', 'failed', 'cancelled')),
  record_count     integer NOT NULL DEFAULT 0,
  succeeded        integer NOT NULL DEFAULT 0,
  failed           integer NOT NULL DEFAULT 0,
  skipped          integer NOT NULL DEFAULT 0,
  attempts         integer NOT NULL DEFAULT 0,
  source_key       text NULL,
  result_key       text NULL,
  error_kind       text NULL,
  error_message    text NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  first_started_at timestamptz NULL,
  last_started_at  timestamptz NULL,
  finished_at      timestamptz NULL,
  duration_ms      integer NULL,
  PRIMARY KEY (tenant_id, job_id, id),
  FOREIGN KEY (job_id) REFERENCES freight.jobs (id)
);
CREATE INDEX job_batches_status ON freight.job_batches (tenant_id, job_id, status);
ALTER TABLE freight.job_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY job_batches_isolation ON freight.job_batches
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());

-- One row per source record per job: its latest outcome. Upserted in bulk, once per batch flush.
CREATE TABLE freight.job_records (
  tenant_id        uuid NOT NULL,
  job_id           uuid NOT NULL,
  object           text NOT NULL,
  source_id        text NOT NULL,
  batch_id         text NOT NULL,
  target_object    text NULL,
  target_id        text NULL,
  status           text NOT NULL CHECK (status IN ('succeeded', 'failed', 'retrying', 'skipped')),
  action           text NULL,
  error_kind       text NULL,
  error_message    text NULL,
  note             text NULL,
  -- References to source records not migrated when this record was written (fixed by the references pass).
  unresolved       integer NOT NULL DEFAULT 0,
  attempts         integer NOT NULL DEFAULT 1,
  first_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, job_id, object, source_id)
);
CREATE INDEX job_records_status ON freight.job_records (tenant_id, job_id, status, object);
CREATE INDEX job_records_batch ON freight.job_records (tenant_id, job_id, batch_id);
ALTER TABLE freight.job_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.job_records FORCE ROW LEVEL SECURITY;
CREATE POLICY job_records_isolation ON freight.job_records
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());
