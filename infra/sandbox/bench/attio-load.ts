/**
 * Upsert throughput of the Attio sandbox: `npx tsx infra/sandbox/bench/attio-load.ts [--concurrency 64] [--seconds 10]`.
 * Starts the sandboxes in a child process (rate limits off) so server and load loop use separate cores,
 * then asserts people by email as fast as the loop can. Prints one JSON line with the measured rate.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { concurrency: { type: 'string' }, seconds: { type: 'string' } } });
const concurrency = Number(values.concurrency ?? 64);
const seconds = Number(values.seconds ?? 10);

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', main, '--affinity-port', '0', '--attio-port', '0', '--size', '0', '--no-limits', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'inherit'] });
let url = '';
let token = '';
for await (const line of createInterface({ input: child.stdout })) {
  const entry = JSON.parse(line) as { msg?: string; attioUrl?: string; attioBearer?: string };
  if (entry.msg === 'sandboxes ready') {
    url = entry.attioUrl ?? '';
    token = entry.attioBearer ?? '';
    break;
  }
}

// node:http with a keep-alive agent: fetch costs the load loop more CPU than the server spends answering.
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(`${url}/v2/objects/people/records?matching_attribute=email_addresses`);
const put = (payload: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(target, { method: 'PUT', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
let ok = 0;
let failed = 0;
let next = 0;
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
const loops = Array.from({ length: concurrency }, async () => {
  while (performance.now() < deadline) {
    const i = next++;
    // A third of the writes hit an existing record (update path), the rest create.
    const n = i % 3 === 0 && i > 0 ? i - 1 : i;
    const body = { data: { values: { email_addresses: [`person${n}@example${n % 97}.com`], name: { first_name: `First${n}`, last_name: 'Load', full_name: `First${n} Load` }, job_title: 'Engineer' } } };
    const status = await put(JSON.stringify(body));
    if (status === 200) ok += 1;
    else failed += 1;
  }
});
await Promise.all(loops);
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ concurrency, seconds: Number(elapsed.toFixed(2)), ok, failed, upsertsPerSecond: Math.round(ok / elapsed) })}\n`);
agent.destroy();
child.kill('SIGTERM');
await once(child, 'exit');
