import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAlive, sleep } from './run.ts';

export interface LockOptions {
  /** Give up waiting after this long (the holder is alive and busy). */
  waitMs?: number;
  /** A holder older than this is presumed stuck and its lock taken over. */
  staleMs?: number;
  /** Told once when the lock is busy, so a waiting command does not look hung. */
  onWait?: (holder: string) => void;
}

interface Holder {
  pid: number;
  since: number;
  what: string;
}

/**
 * A lock file shared by every process of this user on the machine (`open(…, 'wx')` is atomic).
 * It serialises the moments that race: picking free ports and binding them (two stacks starting at
 * once would otherwise both see a port free), and installing a tool into the shared cache. A holder
 * that died (its pid is gone) or held it past `staleMs` no longer counts.
 */
export async function withLock<T>(file: string, what: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquire(file, what, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** The machine-wide lock around starting servers on free ports. */
export function portLockFile(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(tmpdir(), `freight-ports-${uid}.lock`);
}

async function acquire(file: string, what: string, options: LockOptions): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? 15 * 60_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const deadline = Date.now() + waitMs;
  const me: Holder = { pid: process.pid, since: Date.now(), what };
  // Two callers in one process (vitest starts the test and chaos stacks side by side) each need their own token.
  const token = `${JSON.stringify(me)}\n${Math.random()}`;
  let told = false;
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(token);
      await handle.close();
      return async () => {
        // Only our own lock: a takeover after a stale period must not be undone by the late holder.
        if ((await readFile(file, 'utf8').catch(() => '')) === token) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const text = await readFile(file, 'utf8').catch(() => '');
    const holder = parseHolder(text);
    // An empty file is a holder between open and write, unless it stays empty (it died right there).
    const emptyAge = text ? 0 : Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now());
    const stale = text ? !holder || !isAlive(holder.pid) || Date.now() - holder.since > staleMs : emptyAge > 10_000;
    if (stale) {
      // Remove only the lock we judged stale (a fresh one may have replaced it meanwhile).
      if ((await readFile(file, 'utf8').catch(() => '')) === text) await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(waitMs / 1000)} s for ${file} (held by pid ${holder?.pid}: ${holder?.what})`);
    if (!told && holder) {
      told = true;
      options.onWait?.(`pid ${holder.pid} (${holder.what})`);
    }
    await sleep(100 + Math.random() * 150);
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const holder = JSON.parse(text.split('\n')[0] ?? '') as Holder;
    return typeof holder.pid === 'number' && typeof holder.since === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}
