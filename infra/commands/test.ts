import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../dev-stack/paths.ts';
import { scanForSecrets } from './secret-scan.ts';

/**
 * `npm test`: type-check, lint, then the whole vitest suite (unit + integration against the real
 * Temporal, PostgreSQL and S3 that the suite's global setup starts), then a scan of every log the
 * suite captured for leaked keys or passwords. Prints how long it took.
 */
const started = Date.now();
const artifacts = path.join(REPO_ROOT, 'test-artifacts');
const bin = (name: string): string => path.join(REPO_ROOT, 'node_modules', '.bin', name);

function step(name: string, cmd: string, args: string[]): boolean {
  const t0 = Date.now();
  console.log(`\n[test] ${name} ...`);
  // This command owns the stacks vitest starts too: if it is killed, their reaper stops them.
  const owners = [process.env.FREIGHT_OWNER_PIDS, String(process.pid)].filter(Boolean).join(',');
  const result = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, FREIGHT_OWNER_PIDS: owners } });
  const ok = result.status === 0;
  console.log(`[test] ${name} ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok;
}

async function main(): Promise<number> {
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const extra = process.argv.slice(2);
  let ok = step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
  ok = step('lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']) && ok;
  const vitestOk = step('vitest', bin('vitest'), [
    'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(artifacts, 'vitest.json')}`, ...extra,
  ]);
  ok = vitestOk && ok;

  const logs = (await readdir(artifacts)).filter((f) => f.endsWith('.log'));
  const leaks = await scanForSecrets(await Promise.all(logs.map(async (f) => ({ name: f, text: await readFile(path.join(artifacts, f), 'utf8') }))));
  if (leaks.length > 0) {
    ok = false;
    console.log(`[test] SECRET LEAK in captured logs:\n  ${leaks.join('\n  ')}`);
  } else {
    console.log(`[test] secret scan: ${logs.length} captured log file(s), no key or password found`);
  }

  const summary = await readFile(path.join(artifacts, 'vitest.json'), 'utf8')
    .then((t) => JSON.parse(t) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number })
    .catch(() => undefined);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n[test] suite took ${minutes} min`);
  if (summary) console.log(`tests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
