/**
 * Child process of the `namespaces` benchmark: one Affinity sandbox every tenant reads from (reads
 * share nothing that one tenant could change for another) and one Attio sandbox — one workspace — per
 * tenant, since tenants writing to one workspace adopt each other's records by source id. All in one
 * process, on ephemeral loopback ports, limits off; prints a `sandbox fleet ready` JSON line.
 *
 *   node --import tsx bench/lib/sandbox-fleet.ts --count 200 --size 20 --seed bench
 */
import { parseArgs } from 'node:util';
import { startAffinitySandbox, startAttioSandbox } from '../../infra/sandbox/index.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1' }, size: { type: 'string', default: '20' }, seed: { type: 'string', default: 'bench' } } });
const affinity = await startAffinitySandbox({ seed: values.seed, size: Number(values.size), limits: { perMinute: 0, monthly: 0 } });
const attio: Awaited<ReturnType<typeof startAttioSandbox>>[] = [];
for (let i = 0; i < Number(values.count); i += 1) attio.push(await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 } }));

process.stdout.write(`${JSON.stringify({
  msg: 'sandbox fleet ready', affinityUrl: affinity.url, affinityKey: affinity.apiKey, counts: affinity.account.counts,
  attio: attio.map((a) => ({ url: a.url, token: a.token })),
})}\n`);

const stop = (): void => {
  void Promise.all([affinity.close(), ...attio.map((a) => a.close())]).finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
