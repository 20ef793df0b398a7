-- Signed webhooks (issue 17): a tenant's endpoints, the events they hear of, and one delivery per
-- (endpoint, event) with every attempt kept. Events and deliveries form an outbox: they are written
-- in the transaction that records the job event itself (shared/job-events), so an event exists
-- exactly when the change it reports was committed. The worker's relay starts one Temporal workflow
-- per delivery (workflow id from the delivery id, started once) whose activity POSTs and is retried
-- with backoff; the delivery row is the log the API shows.

CREATE TABLE freight.webhook_endpoints (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES freight.tenants (id),
  url               text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  description       text NULL CHECK (length(description) <= 500),
  events            text[] NOT NULL CHECK (cardinality(events) > 0),
  format            text NOT NULL DEFAULT 'freight' CHECK (format IN ('freight', 'slack')),
  -- The signing secret, sealed like connection secrets (AES-256-GCM bound to tenant and endpoint);
  -- only its first characters are ever shown again.
  secret_prefix     text NOT NULL,
  secret_ciphertext bytea NOT NULL,
  secret_iv         bytea NOT NULL,
  secret_tag        bytea NOT NULL,
  key_id            text NOT NULL,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- Set when the receiver answered 410 Gone: no delivery is attempted any more.
  disabled_at       timestamptz NULL,
  disabled_reason   text NULL,
  deleted_at        timestamptz NULL
);
CREATE INDEX webhook_endpoints_tenant ON freight.webhook_endpoints (tenant_id, created_at DESC, id DESC);

CREATE TABLE freight.webhook_events (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES freight.tenants (id),
  type       text NOT NULL,
  data       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE freight.webhook_deliveries (
  id                  uuid PRIMARY KEY,
  tenant_id           uuid NOT NULL REFERENCES freight.tenants (id),
  endpoint_id         uuid NOT NULL REFERENCES freight.webhook_endpoints (id),
  event_id            uuid NOT NULL REFERENCES freight.webhook_events (id),
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts            integer NOT NULL DEFAULT 0,
  last_status_code    integer NULL,
  last_error          text NULL,
  next_attempt_at     timestamptz NULL,
  delivered_at        timestamptz NULL,
  workflow_started_at timestamptz NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- Exactly one delivery per endpoint and event, however often anything is repeated.
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_log ON freight.webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_unstarted ON freight.webhook_deliveries (created_at) WHERE workflow_started_at IS NULL;
CREATE INDEX webhook_deliveries_open ON freight.webhook_deliveries (tenant_id) WHERE status = 'pending';

CREATE TABLE freight.webhook_attempts (
  tenant_id    uuid NOT NULL REFERENCES freight.tenants (id),
  delivery_id  uuid NOT NULL REFERENCES freight.webhook_deliveries (id),
  attempt      integer NOT NULL CHECK (attempt > 0),
  status_code  integer NULL,
  error        text NULL,
  duration_ms  integer NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, attempt)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_attempts'] LOOP
    EXECUTE format('ALTER TABLE freight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE freight.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON freight.%I USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())'
      ' WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())', t || '_isolation', t);
  END LOOP;
END $$;
