-- Which worker process serves which tenant namespace (workers/namespace-leases.ts). Each process runs
-- Workers for at most FREIGHT_WORKER_MAX_NAMESPACES namespaces and only for those it holds a live lease
-- on; it renews them every few seconds, and a dead process's leases expire and are taken over. Keyed
-- by task queue too: a Worker serves one (namespace, task queue) pair, and test or benchmark runs
-- with queues of their own share the database.
-- A released lease stays as a row whose expires_at is when it was released: the next free slot goes
-- to the namespace served least recently, so namespaces take turns when more wait than fit.
-- Platform data like worker_heartbeats: no tenant_id, RLS forced, only the admin scope reads or
-- writes it; the app role gets it through migrate.ts's schema-wide DML grant.

CREATE TABLE freight.worker_namespace_leases (
  task_queue  text NOT NULL,
  namespace   text NOT NULL,
  worker_id   text NOT NULL CHECK (length(worker_id) BETWEEN 1 AND 200),
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (task_queue, namespace)
);
CREATE INDEX worker_namespace_leases_holder ON freight.worker_namespace_leases (task_queue, worker_id);
ALTER TABLE freight.worker_namespace_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE freight.worker_namespace_leases FORCE ROW LEVEL SECURITY;
CREATE POLICY worker_namespace_leases_admin ON freight.worker_namespace_leases
  USING (freight.is_admin_scope())
  WITH CHECK (freight.is_admin_scope());
