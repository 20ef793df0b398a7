-- Foundation: tenants, API keys, audit trail, connector id map.
-- Every tenant-owned table carries tenant_id, has row-level security ENABLED and FORCED (so even the
-- owner is filtered), and its policies read the per-transaction setting app.tenant_id. The platform
-- admin path sets app.scope = 'admin' explicitly (shared/db/scope.ts) and is audited.

CREATE SCHEMA IF NOT EXISTS freight;

CREATE FUNCTION freight.current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION freight.is_admin_scope() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'admin' $$;

CREATE TABLE freight.tenants (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug                  text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
  name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  namespace             text NOT NULL UNIQUE,
  status                text NOT NULL DEFAULT 'provisioning' CHECK (status IN ('provisioning', 'active', 'suspended')),
  retention_days        integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
  rate_limit_per_minute integer NULL CHECK (rate_limit_per_minute > 0),
  provisioning_error    text NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE freight.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_isolation ON freight.tenants
  USING (id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (id = freight.current_tenant_id() OR freight.is_admin_scope());

CREATE TABLE freight.api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL tenant = a platform admin key; tenant keys are engineer or viewer.
  tenant_id    uuid NULL REFERENCES freight.tenants (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role         text NOT NULL CHECK (role IN ('admin', 'engineer', 'viewer')),
  environment  text NOT NULL CHECK (environment IN ('live', 'test')),
  prefix       text NOT NULL UNIQUE,
  secret_hash  bytea NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NULL,
  revoked_at   timestamptz NULL,
  CHECK ((role = 'admin') = (tenant_id IS NULL))
);
CREATE INDEX api_keys_tenant_created ON freight.api_keys (tenant_id, created_at DESC);
ALTER TABLE freight.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_isolation ON freight.api_keys
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());

-- Authentication must find a key before it knows the tenant: this narrow definer function is the
-- only unscoped read of api_keys, returns one prefix's row, and never the tenant's other keys.
CREATE FUNCTION freight.find_api_key(p_prefix text)
  RETURNS TABLE (id uuid, tenant_id uuid, role text, secret_hash bytea, revoked_at timestamptz,
                 last_used_at timestamptz, tenant_status text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = freight, pg_temp
  AS $$
  DECLARE previous text := coalesce(current_setting('app.scope', true), '');
  BEGIN
    -- Transaction-local, and restored before returning; an error aborts the transaction anyway.
    PERFORM set_config('app.scope', 'admin', true);
    RETURN QUERY
      SELECT k.id, k.tenant_id, k.role, k.secret_hash, k.revoked_at, k.last_used_at, t.status
      FROM freight.api_keys k LEFT JOIN freight.tenants t ON t.id = k.tenant_id
      WHERE k.prefix = p_prefix;
    PERFORM set_config('app.scope', previous, true);
  END $$;

CREATE FUNCTION freight.touch_api_key(p_id uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = freight, pg_temp
  AS $$
  DECLARE previous text := coalesce(current_setting('app.scope', true), '');
  BEGIN
    PERFORM set_config('app.scope', 'admin', true);
    UPDATE freight.api_keys SET last_used_at = now() WHERE id = p_id;
    PERFORM set_config('app.scope', previous, true);
  END $$;

CREATE TABLE freight.audit_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- NULL tenant = a platform-level action (visible to admins only).
  tenant_id   uuid NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('api_key', 'jwt', 'admin_env', 'cli', 'system')),
  actor_id    text NOT NULL,
  actor_role  text NOT NULL,
  action      text NOT NULL,
  target_type text NULL,
  target_id   text NULL,
  request_id  text NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_tenant_time ON freight.audit_events (tenant_id, occurred_at DESC);
CREATE INDEX audit_events_tenant_action ON freight.audit_events (tenant_id, action, occurred_at DESC);
ALTER TABLE freight.audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_isolation ON freight.audit_events
  USING (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope())
  WITH CHECK (tenant_id = freight.current_tenant_id() OR freight.is_admin_scope());

-- Source id -> target id, for records that cannot be upserted on a natural key (companies without
-- a domain, people without an email, notes). Scope names the source/target pair so reruns converge.
CREATE TABLE freight.id_map (
  tenant_id     uuid NOT NULL REFERENCES freight.tenants (id),
  scope         text NOT NULL,
  source_kind   text NOT NULL,
  source_id     text NOT NULL,
  target_object text NOT NULL,
  target_id     text NOT NULL,
  job_id        uuid NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope, source_kind, source_id)
);
ALTER TABLE freight.id_map ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.id_map FORCE ROW LEVEL SECURITY;
CREATE POLICY id_map_isolation ON freight.id_map
  USING (tenant_id = freight.current_tenant_id())
  WITH CHECK (tenant_id = freight.current_tenant_id());
