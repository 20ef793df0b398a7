import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FLUSH_MS } from './attio/persist/persistence.ts';
import { readEverything, writeScenario } from './attio/persist/test-scenario.ts';
import { createTestClient, type LooseJson } from './test-client.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Running {
  child: ChildProcess;
  call: ReturnType<typeof createTestClient>;
  /** Every log line so far (JSON). */
  log: Array<{ msg: string; level: string }>;
}

/** Runs infra/sandbox/main.ts as its own process, as `npm start` does, and waits until it serves. */
async function startMain(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--affinity-port', '0', '--attio-port', '0', '--seed', '3', '--no-limits', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const log: Running['log'] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg: string; level: string; attioUrl: string; attioBearer: string };
    log.push(entry);
    if (entry.msg === 'sandboxes ready') {
      lines.on('line', (more: string) => log.push(JSON.parse(more) as Running['log'][number]));
      return { child, call: createTestClient(entry.attioUrl, `Bearer ${entry.attioBearer}`), log };
    }
  }
  throw new Error(`main.ts exited (${child.exitCode}) before it was ready: ${JSON.stringify(log)}`);
}

describe('infra/sandbox/main.ts --state-dir', () => {
  const children: ChildProcess[] = [];
  let dir: string | undefined;
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const run = async (args: string[]) => {
    const running = await startMain(args);
    children.push(running.child);
    return running;
  };
  const kill = async (child: ChildProcess) => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };

  it('a SIGKILLed sandbox restarts with every acknowledged write, same ids; new writes get new ids', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-'));
    const args = ['--size', '100', '--state-dir', dir];
    const first = await run(args);
    const written = await writeScenario(first.call);
    const before = await readEverything(first.call);
    // Acknowledged, then one flush interval (and some slack for a busy machine) before the hard kill.
    await new Promise((resolve) => setTimeout(resolve, DEFAULT_FLUSH_MS + 150));
    await kill(first.child);

    const second = await run(args);
    expect(second.log.some((l) => l.msg.includes('workspace loaded from its state folder'))).toBe(true);
    expect(await readEverything(second.call)).toEqual(before);
    for (const id of written.people) expect((await second.call('GET', `/v2/objects/people/records/${id}`)).status).toBe(200);
    const note = await second.call('POST', '/v2/notes', { data: { parent_object: 'people', parent_record_id: written.people[0], title: 'After restart', format: 'plaintext', content: 'x' } });
    const entry = await second.call('POST', '/v2/lists/pipeline/entries', { data: { parent_record_id: written.companies[0], parent_object: 'companies', entry_values: { source_entry: 'e-new' } } });
    expect(note.status).toBe(200);
    expect(entry.status).toBe(200);
    const notes = (before.notes as LooseJson).data.map((n: LooseJson) => n.id.note_id);
    expect(notes).not.toContain(note.body.data.id.note_id);
    expect(written.entries).not.toContain(entry.body.data.id.entry_id);

    // SIGTERM saves what is pending; the next start has the new writes too.
    const exited = once(second.child, 'exit');
    second.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    const third = await run(args);
    expect((await third.call('GET', `/v2/notes/${note.body.data.id.note_id}`)).status).toBe(200);
    expect((await third.call('POST', '/v2/lists/pipeline/entries/query', { filter: { source_entry: 'e-new' } })).body.data).toHaveLength(1);
    await kill(third.child);

    // Another generated account: the old target data is set aside, not mixed in.
    const other = await run(['--size', '200', '--state-dir', dir]);
    expect(other.log.some((l) => l.level === 'warn' && l.msg.includes('not loading the saved workspace'))).toBe(true);
    expect((await other.call('GET', '/__sandbox/summary')).body).toMatchObject({ objects: { people: 0 }, lists: {}, notes: 0 });
    expect(readdirSync(dir).some((name) => name.startsWith('discarded-'))).toBe(true);
  });
});
