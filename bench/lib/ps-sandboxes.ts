/**
 * Child process of the `pseta` benchmark: the Process Street sandbox (a generated organisation) and
 * the Tallyfy sandbox, both at their real limits but time-compressed by `--window-scale` (0.01 = an
 * hour of 36 s): Tallyfy's windows shrink by it (sandbox-only `windowScale`), Process Street's
 * per-second pace grows by its inverse. Loopback, ephemeral ports; prints a `ps sandboxes ready` line.
 *
 *   node --import tsx bench/lib/ps-sandboxes.ts --size 0.1 --seed bench --window-scale 0.016666
 */
import { parseArgs } from 'node:util';
import { startProcessStreetSandbox } from '../../infra/sandbox/process-street/index.ts';
import { startTallyfySandbox } from '../../infra/sandbox/tallyfy/index.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '0.1' }, seed: { type: 'string', default: 'bench' },
    'window-scale': { type: 'string', default: '1' }, 'ps-per-second': { type: 'string', default: '10' },
  },
});
const scale = Number(values['window-scale']);
// Process Street's 10/s is inferred (it publishes no number); compressed like Tallyfy's windows.
const ps = await startProcessStreetSandbox({ seed: values.seed, size: Number(values.size), limits: { perSecond: Number(values['ps-per-second']) / scale } });
// Tallyfy's documented limits (600/min, 120 comments/h, 30 invites/h; the inferred burst) with every window scaled.
const tallyfy = await startTallyfySandbox({ limits: { windowScale: scale } });

process.stdout.write(`${JSON.stringify({
  msg: 'ps sandboxes ready', psUrl: ps.url, psKey: ps.apiKey, counts: ps.organization.counts,
  tallyfyUrl: tallyfy.url, tallyfyToken: tallyfy.token, organizationId: tallyfy.organizationId, limits: tallyfy.limiter.limits(),
})}\n`);

const stop = (): void => {
  void Promise.all([ps.close(), tallyfy.close()]).finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
