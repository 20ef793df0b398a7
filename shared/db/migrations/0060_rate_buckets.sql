-- Rate budgets shared by every worker process (activities/connectors/budget/pg-rate-store.ts): one
-- row per API limit — the writes, reads or query score of one Attio workspace, the calls of one
-- Affinity key. Keys carry a digest of the workspace id or key, never a token.
-- A process takes a grant of a few hundred milliseconds' worth of slots in one call
-- (freight.take_rate_grant) and paces them out locally; a 429 pauses and slows the bucket for all
-- (freight.note_rate_limited). Times are milliseconds since the epoch on this server's clock, so
-- hosts with skewed clocks still share one timeline.
-- Platform data, not tenant data: no tenant_id and no tenant policy. RLS is enabled and forced; only
-- the admin scope and the functions below see rows: each sets scope 'rate_budget' for its own
-- statements and puts the caller's scope back before it returns (a function's SET clause would need
-- a superuser for this custom setting).

CREATE TABLE freight.rate_buckets (
  key              text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  max_rate         double precision NOT NULL CHECK (max_rate > 0),
  rate             double precision NOT NULL CHECK (rate > 0),
  tat_ms           double precision NOT NULL,
  paused_until_ms  double precision NOT NULL DEFAULT 0,
  cap_rate         double precision NULL CHECK (cap_rate > 0),
  cap_until_ms     double precision NOT NULL DEFAULT 0,
  changed_at_ms    double precision NOT NULL,
  decreased_at_ms  double precision NOT NULL DEFAULT 0,
  granted          bigint NOT NULL DEFAULT 0,
  rate_limited     bigint NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE freight.rate_buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.rate_buckets FORCE ROW LEVEL SECURITY;
CREATE POLICY rate_buckets_budget ON freight.rate_buckets
  USING (freight.is_admin_scope() OR coalesce(current_setting('app.scope', true), '') = 'rate_budget')
  WITH CHECK (freight.is_admin_scope() OR coalesce(current_setting('app.scope', true), '') = 'rate_budget');

-- Hands out p_count slots of bucket p_key: follows a changed maximum, probes the rate up once per
-- p_probe_ms (AIMD's additive increase), then reserves [start, start + count/rate) from
-- max(tat, now, pause) on. Same arithmetic as applyGrant in rate-store.ts.
CREATE FUNCTION freight.take_rate_grant(
  p_key text, p_count double precision, p_max_rate double precision, p_min_rate double precision,
  p_step double precision, p_probe_ms double precision)
RETURNS TABLE (start_ms double precision, interval_ms double precision, rate double precision,
               paused_until_ms double precision, now_ms double precision)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
  b freight.rate_buckets;
  t double precision;
  eff double precision;
  s double precision;
  caller_scope text := coalesce(current_setting('app.scope', true), '');
BEGIN
  PERFORM set_config('app.scope', 'rate_budget', true);
  t := extract(epoch FROM clock_timestamp()) * 1000;
  INSERT INTO freight.rate_buckets AS r (key, max_rate, rate, tat_ms, changed_at_ms)
  VALUES (p_key, p_max_rate, p_max_rate, t, t)
  ON CONFLICT (key) DO NOTHING;
  SELECT * INTO b FROM freight.rate_buckets r WHERE r.key = p_key FOR UPDATE;
  -- After the row lock: a wait for it must not put this grant in the past.
  t := extract(epoch FROM clock_timestamp()) * 1000;
  IF p_max_rate <> b.max_rate THEN
    b.rate := least(p_max_rate, greatest(p_min_rate, b.rate * (p_max_rate / b.max_rate)));
    b.max_rate := p_max_rate;
  END IF;
  IF b.rate < b.max_rate AND t - b.changed_at_ms >= p_probe_ms THEN
    b.rate := least(b.max_rate, b.rate + p_step);
    b.changed_at_ms := t;
  END IF;
  b.rate := greatest(p_min_rate, least(b.max_rate, b.rate));
  eff := CASE WHEN b.cap_rate IS NOT NULL AND b.cap_until_ms > t THEN least(b.rate, b.cap_rate) ELSE b.rate END;
  s := greatest(b.tat_ms, t, b.paused_until_ms);
  UPDATE freight.rate_buckets r
  SET max_rate = b.max_rate, rate = b.rate, changed_at_ms = b.changed_at_ms,
      tat_ms = s + p_count * 1000 / eff, granted = r.granted + p_count::bigint, updated_at = now()
  WHERE r.key = p_key;
  PERFORM set_config('app.scope', caller_scope, true);
  RETURN QUERY SELECT s, 1000 / eff, eff, b.paused_until_ms, t;
END
$$;

-- A 429 on bucket p_key: pauses it until now + p_retry_after_ms (when given; new grants start after
-- it) and decreases the rate by p_factor once per p_cooldown_ms (one congestion event, several
-- 429s). Same arithmetic as applyRateLimited in rate-store.ts.
CREATE FUNCTION freight.note_rate_limited(
  p_key text, p_retry_after_ms double precision, p_min_rate double precision,
  p_factor double precision, p_cooldown_ms double precision)
RETURNS TABLE (rate double precision, paused_until_ms double precision, decreased boolean)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
  t double precision := extract(epoch FROM clock_timestamp()) * 1000;
  caller_scope text := coalesce(current_setting('app.scope', true), '');
BEGIN
  PERFORM set_config('app.scope', 'rate_budget', true);
  RETURN QUERY
  WITH u AS (
  UPDATE freight.rate_buckets r
  SET paused_until_ms = CASE WHEN p_retry_after_ms IS NULL THEN r.paused_until_ms ELSE greatest(r.paused_until_ms, t + p_retry_after_ms) END,
      tat_ms = greatest(r.tat_ms, CASE WHEN p_retry_after_ms IS NULL THEN r.paused_until_ms ELSE greatest(r.paused_until_ms, t + p_retry_after_ms) END),
      rate = CASE WHEN t - r.decreased_at_ms >= p_cooldown_ms THEN greatest(p_min_rate, r.rate * p_factor) ELSE r.rate END,
      changed_at_ms = CASE WHEN t - r.decreased_at_ms >= p_cooldown_ms THEN t ELSE r.changed_at_ms END,
      decreased_at_ms = CASE WHEN t - r.decreased_at_ms >= p_cooldown_ms THEN t ELSE r.decreased_at_ms END,
      rate_limited = r.rate_limited + 1, updated_at = now()
  WHERE r.key = p_key
  -- RETURNING sees the updated row: this 429 decreased the rate when decreased_at_ms is now.
  RETURNING r.rate, r.paused_until_ms, r.decreased_at_ms = t AS decreased)
  SELECT u.rate, u.paused_until_ms, u.decreased FROM u;
  PERFORM set_config('app.scope', caller_scope, true);
END
$$;

-- Holds bucket p_key for p_ms (a quota window), or caps its rate for p_ms (p_cap_rate not null).
CREATE FUNCTION freight.hold_rate_bucket(p_key text, p_ms double precision, p_cap_rate double precision)
RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
  t double precision := extract(epoch FROM clock_timestamp()) * 1000;
  caller_scope text := coalesce(current_setting('app.scope', true), '');
BEGIN
  PERFORM set_config('app.scope', 'rate_budget', true);
  IF p_cap_rate IS NULL THEN
    UPDATE freight.rate_buckets r
    SET paused_until_ms = greatest(r.paused_until_ms, t + p_ms), tat_ms = greatest(r.tat_ms, t + p_ms), updated_at = now()
    WHERE r.key = p_key;
  ELSE
    UPDATE freight.rate_buckets r
    SET cap_rate = p_cap_rate, cap_until_ms = t + p_ms, updated_at = now()
    WHERE r.key = p_key;
  END IF;
  PERFORM set_config('app.scope', caller_scope, true);
END
$$;
