/**
 * `npm run fuzz`: Schemathesis (`--checks all`) against a live Freight, as an attacker or a careless
 * client would drive it. Starts the dev stack, API, worker and sandboxes like the demo, makes the
 * demo tenant's engineer key, then runs Schemathesis over the served OpenAPI document twice: with
 * that key (every tenant operation) and with the admin key (tenant administration). Exits with
 * Schemathesis' status; its reports are kept in the stack's log folder. Not part of `npm test`
 * (minutes of generated traffic); the suite's own schema-conformance tests cover the same rules.
 *
 *   npm run fuzz [-- --max-examples N] [-- --max-time SECONDS]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { installSchemathesis } from '../dev-stack/schemathesis.ts';
import { createApiClient } from './api-client.ts';
import { ensureDemoTenant } from './demo-tenant.ts';
import { startFreight, type RunningFreight } from './freight-processes.ts';
import { SANDBOX_DEV_PORTS } from './sandbox-options.ts';

const log = (m: string): void => console.log(`[fuzz] ${m}`);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} needs a whole number ≥ 1`);
    process.exit(2);
  }
  return value;
}

const maxExamples = option('max-examples', 30);
const maxTime = option('max-time', 600);

let running: RunningFreight | undefined;
let child: ReturnType<typeof spawn> | undefined;

async function finish(code: number, reason?: string): Promise<never> {
  if (reason) log(reason);
  child?.kill('SIGTERM');
  log('stopping everything this command started ...');
  await running?.stop().catch((err: unknown) => log(`stop failed: ${err instanceof Error ? err.message : String(err)}`));
  process.exit(code);
}
process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));

/** One Schemathesis run; resolves with its exit status. */
function schemathesis(bin: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    child = spawn(bin, args, { stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<void> {
  running = await startFreight({
    log,
    sandbox: { size: 200, seed: 'fuzz', limits: 'off', ports: { ...SANDBOX_DEV_PORTS } },
    onCrash: (name, lines) => void finish(1, `${name} exited unexpectedly; last log lines:\n${lines}`),
  });
  log(`installing Schemathesis into the tool cache (once) ...`);
  const bin = await installSchemathesis(running.logDir);
  const admin = createApiClient(running.baseUrl, running.adminKey);
  const tenant = await ensureDemoTenant(admin, running.baseUrl, running.stack.dir);
  const schema = `${running.baseUrl}/openapi.json`;
  const common = [
    'run', schema, '--checks', 'all', '--max-examples', String(maxExamples), '--max-time', String(maxTime),
    '--workers', '2', '--request-timeout', '60', '--suppress-health-check', 'all',
    // Creating a tenant registers its Temporal namespace and waits for it: seconds, more on a busy machine.
    '--max-response-time', '30',
  ];
  const runs = [
    // Admin operations answer 403 to this key, which is right; the admin run covers them.
    { who: `engineer key of tenant "demo"`, key: tenant.apiKey, only: [] as string[] },
    { who: 'admin key', key: running.adminKey, only: ['--include-path-regex', '^/v1/tenants'] },
  ];
  let worst = 0;
  for (const [i, r] of runs.entries()) {
    log(`Schemathesis ${i + 1}/${runs.length}: ${r.who}, up to ${maxExamples} examples per operation`);
    const report = path.join(running.logDir, `schemathesis-${i + 1}.xml`);
    const status = await schemathesis(bin, [
      ...common, ...r.only, '--header', `Authorization: Bearer ${r.key}`, '--report', 'junit', '--report-junit-path', report,
    ]);
    log(`Schemathesis ${i + 1}: exit ${status}; report ${report}`);
    worst = Math.max(worst, status);
  }
  await finish(worst, worst === 0 ? 'no failures' : 'Schemathesis found failures (above)');
}

main().catch((err: unknown) => finish(1, `FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
