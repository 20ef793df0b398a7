/**
 * The API alone in a child process, so a test can measure the *server's* memory while it streams
 * (the test process's own parsing would otherwise be counted). Prints `port <n>` once listening;
 * answers an IPC `rss` message with { baseline, peak } sampled every 20 ms since the last `reset`, and
 * `history`, the RSS in MB every half second.
 */
import { serve } from '@hono/node-server';
import { createApp } from '../../../api/app.ts';
import { loadConfig } from '../../../shared/config.ts';
import { createSql } from '../../../shared/db/client.ts';
import { createLogger } from '../../../shared/logger.ts';
import { createS3 } from '../../../shared/s3.ts';
import { connectTemporal } from '../../../shared/temporal.ts';

const config = loadConfig(process.env);
const logger = createLogger({ level: 'warn', name: 'csv-server' });
const sql = createSql({ url: config.db.url, max: 4, logger });
const app = createApp({ config, sql, temporal: await connectTemporal(config.temporal), s3: createS3(config.s3), logger });
let baseline = process.memoryUsage().rss;
let peak = baseline;
let history: number[] = [];
let tick = 0;
setInterval(() => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  if (++tick % 25 === 0) {
    (globalThis as { gc?: () => void }).gc?.();
    history.push(Math.round(rss / 1048576));
  }
}, 20).unref();
process.on('message', (msg: string) => {
  if (msg === 'reset') {
    baseline = process.memoryUsage().rss;
    peak = baseline;
    history = [];
    process.send?.({ baseline, peak, history });
  } else if (msg === 'rss') {
    process.send?.({ baseline, peak: Math.max(peak, process.memoryUsage().rss), history });
  }
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.stdout.write(`port ${info.port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
