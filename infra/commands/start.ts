import { createApiClient } from './api-client.ts';
import { startFreight, type RunningFreight } from './freight-processes.ts';
import { sandboxBanner } from './sandbox-banner.ts';

/**
 * `npm start`: the whole stack in the foreground — Temporal, PostgreSQL, MinIO (unless configured
 * externally), then the API, the worker and the Affinity/Attio sandboxes (unless FREIGHT_SANDBOX=off).
 * Ctrl-C stops everything this command started.
 */
const log = (m: string): void => console.log(`[freight] ${m}`);
let running: RunningFreight | undefined;
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping ...');
  await running?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // A process that dies is restarted (with backoff) and its jobs resume; the stack stays up.
  running = await startFreight({ log, onCrash: 'restart' });
  const { baseUrl, adminKey, stack, logDir, sandbox } = running;
  const admin = createApiClient(baseUrl, adminKey);
  const tenants = await admin.get<{ data: { id: string; slug: string; namespace: string }[] }>('/v1/tenants');
  let demoKey: string | undefined;
  let namespace = tenants.data[0]?.namespace;
  const slug = tenants.data[0]?.slug ?? 'demo';
  if (tenants.data.length === 0) {
    const tenant = await admin.post<{ id: string; namespace: string }>('/v1/tenants', { slug: 'demo', name: 'Demo tenant' });
    const key = await admin.post<{ key: string }>(`/v1/tenants/${tenant.id}/api-keys`, { name: 'demo engineer', role: 'engineer' });
    demoKey = key.key;
    namespace = tenant.namespace;
  }
  const ui = stack.urls.temporalUi;
  const temporalAddress = stack.env.TEMPORAL_ADDRESS ?? '(unknown)';
  console.log([
    '',
    'Freight is running.',
    `  API            ${baseUrl}   (docs: ${baseUrl}/docs, OpenAPI: ${baseUrl}/openapi.json, ready: ${baseUrl}/ready)`,
    `  Temporal       ${temporalAddress}   (e.g. temporal workflow list --address ${temporalAddress}${namespace ? ` --namespace ${namespace}` : ''})`,
    `  Temporal UI    ${ui ?? '(external Temporal)'}${ui && namespace ? `/namespaces/${namespace}/workflows` : ''}`,
    stack.urls.minioConsole ? `  MinIO console  ${stack.urls.minioConsole}` : '',
    demoKey
      ? `  Demo tenant "demo" created. Its engineer API key (shown once, keep it):\n    ${demoKey}`
      : `  Tenants exist already; create a key with: npm run freight -- key create --tenant ${slug} --role engineer`,
    `  Admin key      ${process.env.FREIGHT_ADMIN_API_KEY ? '(from FREIGHT_ADMIN_API_KEY)' : `${adminKey}   (generated for this dev stack; stored in ${stack.dir}/stack.json)`}`,
    ...sandboxBanner(sandbox),
    `  Logs           ${logDir}/{api,worker,${sandbox ? 'sandbox,' : ''}temporal,postgres,minio}.log`,
    '',
    `Try:  curl -H "Authorization: Bearer <key>" ${baseUrl}/v1/me`,
    'A crashed API, worker or sandbox is restarted. Ctrl-C stops everything.',
  ].filter(Boolean).join('\n'));
}

main().catch(async (err: unknown) => {
  console.error(`[freight] start failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll(1);
});
