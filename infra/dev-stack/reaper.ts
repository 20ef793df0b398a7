/**
 * The reaper of one stack (see guard.ts): `node --import tsx infra/dev-stack/reaper.ts <stackDir> <guardFile>`.
 * Polls its guard file; when an owner is gone while the file still exists (nobody stopped the
 * stack in order), it stops what the owners left behind and exits. A removed guard file means the
 * owners stopped the stack themselves: it exits without touching anything.
 */
import { rm } from 'node:fs/promises';
import { isSameProcess, readGuard, type GuardRecord } from './guard.ts';
import { sleep, stopProcess } from './run.ts';
import { stopServices } from './stack.ts';

const POLL_MS = 500;

function say(message: string): void {
  process.stdout.write(`${new Date().toISOString()} [reaper ${process.pid}] ${message}\n`);
}

async function reap(dir: string, file: string, record: GuardRecord): Promise<void> {
  const survivors = record.owners.filter(isSameProcess);
  const apps = record.apps.filter(isSameProcess);
  say(`an owner is gone; stopping ${[...survivors.map((o) => `owner ${o.pid}`), ...apps.map((a) => `${a.name ?? 'app'} ${a.pid}`)].join(', ') || 'no process'} and services [${record.services.join(', ')}]`);
  // Owners first, so a half-dead supervisor cannot restart what is being stopped.
  await Promise.all(survivors.map((o) => stopProcess(o.pid, 5_000)));
  await Promise.all(apps.map((a) => stopProcess(a.pid, 10_000)));
  const stopped = await stopServices(dir, record.services);
  await rm(file, { force: true });
  say(`stopped ${stopped.join(', ') || 'no service'}`);
}

async function main(dir: string, file: string): Promise<void> {
  say(`watching ${file}`);
  for (;;) {
    const record = await readGuard(file);
    if (!record) {
      say('dismissed');
      return;
    }
    if (!record.owners.every(isSameProcess)) {
      await reap(dir, file, record);
      return;
    }
    await sleep(POLL_MS);
  }
}

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
  process.stderr.write('usage: reaper.ts <stackDir> <guardFile>\n');
  process.exit(2);
}
// The reaper must outlive the terminal session that started its owners.
for (const signal of ['SIGHUP', 'SIGINT'] as const) process.on(signal, () => undefined);
main(dir, file).then(() => process.exit(0), (err: unknown) => {
  say(`failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
