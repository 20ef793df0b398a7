import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { guardFile, readGuard } from '../../infra/dev-stack/guard.ts';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';
import { PG_FALLBACK_ROOT } from '../../infra/dev-stack/postgres.ts';
import { isAlive, isRoot } from '../../infra/dev-stack/run.ts';
import { downStack, upStack, type RunningStack } from '../../infra/dev-stack/stack.ts';
import { readState } from '../../infra/dev-stack/state.ts';
import { namespaceApiAnswers } from '../../infra/dev-stack/temporal.ts';

/**
 * The dev-stack start-up as a new user meets it: a checkout whose folders the PostgreSQL server user
 * cannot enter (under /root, or made by `mktemp -d`, mode 0700), a path with a space, two stacks
 * starting at the same moment, and a start that fails halfway, which must stop what it started.
 */
const roots: string[] = [];

/** A stack folder inside a fresh 0700 folder (mktemp's mode), under a segment with a space. */
async function stackRoot(): Promise<string> {
  const parent = await mkdtemp(path.join(tmpdir(), 'freight-stack-'));
  await chmod(parent, 0o700);
  roots.push(parent);
  const dir = path.join(parent, 'my checkout', '.freight');
  await mkdir(dir, { recursive: true });
  return dir;
}

/** The environment of a stack in `dataDir` with nothing configured externally. */
function stackEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FREIGHT_DATA_DIR: dataDir, ...extra };
  for (const key of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'S3_ENDPOINT']) delete env[key];
  return env;
}

/** Processes whose command line names any of `needles` (our servers all carry their data folder there). */
async function processesMentioning(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').then((t) => t.replaceAll('\0', ' '), () => '');
    if (needles.some((n) => cmdline.includes(n))) found.push(`${entry}: ${cmdline.slice(0, 160)}`);
  }
  return found;
}

/** Where this stack's PostgreSQL cluster lives when the server user cannot reach the stack folder. */
async function fallbackHome(stackDir: string): Promise<string> {
  await mkdir(stackDir, { recursive: true });
  return path.join(PG_FALLBACK_ROOT, createHash('sha256').update(await realpath(stackDir)).digest('hex'));
}

async function expectNothingLeft(dataDir: string, name: string): Promise<void> {
  const needles = [dataDir, await fallbackHome(path.join(dataDir, name))];
  // Stops are awaited, but give a killed process group a moment to be reaped.
  for (let i = 0; i < 20 && (await processesMentioning(needles)).length > 0; i++) await new Promise((r) => setTimeout(r, 250));
  expect(await processesMentioning(needles)).toEqual([]);
}

async function expectServing(stack: RunningStack): Promise<void> {
  const sql = postgres(stack.env.DATABASE_URL!, { max: 1, onnotice: () => undefined });
  try {
    expect((await sql`select 1 as one`)[0]?.one).toBe(1);
  } finally {
    await sql.end({ timeout: 2 });
  }
  expect(await namespaceApiAnswers(Number(stack.env.TEMPORAL_ADDRESS!.split(':')[1]))).toBe(true);
  expect((await fetch(`${stack.env.S3_ENDPOINT}/minio/health/live`)).ok).toBe(true);
}

/** A "MinIO" that dies at once: the third service fails after the other two came up. */
async function brokenMinio(dir: string): Promise<string> {
  const bin = path.join(dir, 'minio-that-fails');
  await writeFile(bin, '#!/bin/sh\necho "simulated failure" >&2\nexit 1\n', { mode: 0o755 });
  return bin;
}

afterAll(async () => {
  for (const root of roots) {
    for (const name of ['solo', 'good', 'bad', 'owned']) await rm(await fallbackHome(path.join(root, 'my checkout', '.freight', name)), { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  }
});

describe('dev stack start-up', () => {
  it('starts from a 0700 parent folder and a path with a space, and stops leaving nothing', async () => {
    const dataDir = await stackRoot();
    const log: string[] = [];
    const stack = await upStack({ name: 'solo', env: stackEnv(dataDir), log: (m) => log.push(m) });
    try {
      expect(stack.started.sort()).toEqual(['minio', 'postgres', 'temporal']);
      await expectServing(stack);
      const pgData = (await readState(stack.dir)).postgres!.dataDir;
      // As root, the server runs as `postgres`, who cannot enter the 0700 folder: the cluster lives in its own home.
      if (isRoot()) expect(pgData).toBe(path.join(await fallbackHome(stack.dir), 'data'));
      else expect(pgData.startsWith(stack.dir)).toBe(true);
    } finally {
      await downStack('solo', stack.started, stackEnv(dataDir));
    }
    await expectNothingLeft(dataDir, 'solo');

    // `rm -rf .freight` (or `git clean`) takes the passwords with the state; a cluster kept elsewhere
    // must not make the next start fail on them.
    await rm(stack.dir, { recursive: true, force: true });
    const again = await upStack({ name: 'solo', env: stackEnv(dataDir), log: (m) => log.push(m) });
    try {
      await expectServing(again);
    } finally {
      await downStack('solo', again.started, stackEnv(dataDir));
    }
    await expectNothingLeft(dataDir, 'solo');
  }, 300_000);

  it('starts two stacks at once on separate ports; the one that fails stops what it started', async () => {
    const [goodDir, badDir] = [await stackRoot(), await stackRoot()];
    const badEnv = stackEnv(badDir, { FREIGHT_MINIO_BIN: await brokenMinio(badDir) });
    const log: string[] = [];
    const [good, bad] = await Promise.allSettled([
      upStack({ name: 'good', env: stackEnv(goodDir), log: (m) => log.push(`good: ${m}`) }),
      upStack({ name: 'bad', env: badEnv, log: (m) => log.push(`bad: ${m}`) }),
    ]);
    try {
      expect(good.status, JSON.stringify(log)).toBe('fulfilled');
      expect(bad.status).toBe('rejected');
      const reason = (bad as PromiseRejectedResult).reason as Error;
      // The error names the service and where its log is.
      expect(reason.message).toMatch(/MinIO failed to start \(3 attempts\).*log: .*minio\.log/s);
      const badState = await readState(path.join(badDir, 'bad'));
      expect(isAlive(badState.temporal?.pid)).toBe(false);
      await expectNothingLeft(badDir, 'bad');
      await expectServing((good as PromiseFulfilledResult<RunningStack>).value);
    } finally {
      if (good.status === 'fulfilled') await downStack('good', good.value.started, stackEnv(goodDir));
      if (bad.status === 'fulfilled') await downStack('bad', bad.value.started, badEnv);
    }
    await expectNothingLeft(goodDir, 'good');
  }, 300_000);

  it('a stack whose owner is killed outright (SIGKILL) is stopped by its reaper', async () => {
    const dataDir = await stackRoot();
    const owner = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/integration/support/stack-owner.ts'), 'owned'], {
      cwd: REPO_ROOT, env: stackEnv(dataDir, { FREIGHT_OWNER_PIDS: '' }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    owner.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before its stack was up:\n${output}`)));
    });
    expect((await processesMentioning([dataDir])).length).toBeGreaterThan(0);
    // A second command on the same stack (`npm run demo` beside `npm start`) finds the servers running,
    // starts none, and its own stop must not dismiss the first owner's reaper.
    const second = await upStack({ name: 'owned', env: stackEnv(dataDir), guard: true, log: () => undefined });
    expect(second.started).toEqual([]);
    await second.guard?.dismiss();
    expect(await readGuard(guardFile(path.join(dataDir, 'owned'), owner.pid))).toMatchObject({ services: expect.arrayContaining(['postgres']) });
    owner.kill('SIGKILL');
    // The reaper polls twice a second and gives each server a grace period to stop.
    for (let i = 0; i < 60 && (await processesMentioning([dataDir])).length > 0; i++) await new Promise((r) => setTimeout(r, 500));
    await expectNothingLeft(dataDir, 'owned');
  }, 240_000);
});
