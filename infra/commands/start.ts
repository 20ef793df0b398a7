import path from 'node:path';
import { DEV_PORTS } from '../dev-stack/cli.ts';
import { pickPort } from '../dev-stack/run.ts';
import { downStack, upStack } from '../dev-stack/stack.ts';
import { readState, writeState } from '../dev-stack/state.ts';
import { generateApiKeyLike } from '../../test/helpers/secrets.ts';
import { createApiClient, waitReady } from './api-client.ts';
import { startAppProcess, stopAppProcess, tail, type AppProcess } from './processes.ts';

/**
 * `npm start`: the whole stack in the foreground — Temporal, PostgreSQL, MinIO (unless configured
 * externally), then the API and the worker. Ctrl-C stops everything this command started.
 */
const log = (m: string): void => console.log(`[freight] ${m}`);

let startedServices: Parameters<typeof downStack>[1] = [];
const apps: AppProcess[] = [];

async function main(): Promise<void> {
  const stack = await upStack({ name: 'dev', ports: DEV_PORTS, log });
  startedServices = stack.started;
  const state = await readState(stack.dir);
  state.adminApiKey ??= generateApiKeyLike('live');
  await writeState(stack.dir, state);
  const adminKey = process.env.FREIGHT_ADMIN_API_KEY ?? state.adminApiKey;
  const port = process.env.PORT ? Number(process.env.PORT) : await pickPort(3000, new Set());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ...stack.env, FREIGHT_ADMIN_API_KEY: adminKey, PORT: String(port), PUBLIC_URL: process.env.PUBLIC_URL ?? baseUrl };
  const logDir = path.join(stack.dir, 'logs');

  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    log('stopping ...');
    await Promise.all(apps.map((a) => stopAppProcess(a)));
    const stopped = await downStack('dev', stack.started);
    if (stopped.length) log(`stopped ${stopped.join(', ')}`);
    const left = (['temporal', 'postgres', 'minio'] as const).filter((s) => stack.env && !stack.started.includes(s) && state[s]);
    if (left.length) log(`left running (they were up before this command): ${left.join(', ')} — \`npm run stack -- down\` stops them`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const api = startAppProcess('api', 'api/main.ts', env, logDir);
  const worker = startAppProcess('worker', 'workers/main.ts', env, logDir);
  apps.push(api, worker);
  for (const app of apps) {
    void app.exited.then((code) => {
      if (stopping) return;
      log(`${app.name} exited unexpectedly (code ${code}); last log lines:\n${tail(app.logFile)}`);
      void stopAll(1);
    });
  }
  await waitReady(baseUrl, 90_000, () => api.child.exitCode === null);

  const admin = createApiClient(baseUrl, adminKey);
  const tenants = await admin.get<{ data: { id: string; slug: string; namespace: string }[] }>('/v1/tenants');
  let demoKey: string | undefined;
  let namespace = tenants.data[0]?.namespace;
  if (tenants.data.length === 0) {
    const tenant = await admin.post<{ id: string; namespace: string }>('/v1/tenants', { slug: 'demo', name: 'Demo tenant' });
    const key = await admin.post<{ key: string }>(`/v1/tenants/${tenant.id}/api-keys`, { name: 'demo engineer', role: 'engineer' });
    demoKey = key.key;
    namespace = tenant.namespace;
  }
  const ui = stack.urls.temporalUi;
  console.log([
    '',
    'Freight is running.',
    `  API            ${baseUrl}   (docs: ${baseUrl}/docs, OpenAPI: ${baseUrl}/openapi.json, ready: ${baseUrl}/ready)`,
    `  Temporal UI    ${ui ?? '(external Temporal)'}${ui && namespace ? `/namespaces/${namespace}/workflows` : ''}`,
    stack.urls.minioConsole ? `  MinIO console  ${stack.urls.minioConsole}` : '',
    demoKey
      ? `  Demo tenant "demo" created. Its engineer API key (shown once, keep it):\n    ${demoKey}`
      : '  Tenants exist already; create a key with: npx freight key create --tenant demo --role engineer',
    `  Admin key      ${process.env.FREIGHT_ADMIN_API_KEY ? '(from FREIGHT_ADMIN_API_KEY)' : `${adminKey}   (generated for this dev stack; stored in ${stack.dir}/stack.json)`}`,
    `  Logs           ${logDir}/{api,worker,temporal,postgres,minio}.log`,
    '',
    'Try:  curl -H "Authorization: Bearer <key>" ' + `${baseUrl}/v1/me`,
    'Ctrl-C stops everything.',
  ].filter(Boolean).join('\n'));
}

main().catch(async (err: unknown) => {
  console.error(`[freight] start failed: ${err instanceof Error ? err.message : String(err)}`);
  await Promise.all(apps.map((a) => stopAppProcess(a)));
  await downStack('dev', startedServices).catch(() => undefined);
  process.exit(1);
});
