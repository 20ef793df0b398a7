import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../workers/bundle.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HISTORIES = path.join(HERE, 'histories');

/** Recorded by test/replay/record-histories.ts, named `<code version>.<scenario>[.runN].json`. */
async function histories(): Promise<Array<{ name: string; history: proto.temporal.api.history.v1.History }>> {
  const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (name) => ({
    name, history: proto.temporal.api.history.v1.History.fromObject(JSON.parse(await readFile(path.join(HISTORIES, name), 'utf8'))),
  })));
}

const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined };

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  // Twenty replays would print each replay worker's state changes; warnings and errors still show.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already by another file of this process: its logger stays.
  }
  bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
}, 120_000);

// Jobs run for days and continue as new: a worker deployed with new workflow code replays the
// histories that older code wrote. Every change that alters the commands a job issues must keep
// those replaying (a `patched` branch); this proves it for one job of each kind, per recorded version.
describe('migrationJob replays the histories recorded by earlier and current code', () => {
  it('replays every recorded history without a nondeterminism error', { timeout: 180_000 }, async () => {
    const all = await histories();
    expect(all.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    for (const { name, history } of all) {
      try {
        await Worker.runReplayHistory({ workflowBundle: bundle, replayName: name }, history, `${name}-replay`);
      } catch (err) {
        failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
