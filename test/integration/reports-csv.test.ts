import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { insertJob, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

const ROWS = 100_000;
const COLUMNS = ['object', 'source_id', 'batch_id', 'status', 'target_object', 'target_id', 'action', 'error_kind', 'error_message', 'note',
  'degraded', 'attempts', 'first_attempt_at', 'last_attempt_at'];

let t: TestApp;
let f: TenantFixture;
let other: TenantFixture;
let jobId: string;
let server: ChildProcess;
let base: string;

/** Asks the server process for its RSS baseline and peak (bytes) since the last reset. */
function serverRss(msg: 'reset' | 'rss'): Promise<{ baseline: number; peak: number; history: number[] }> {
  return new Promise((resolve) => {
    server.once('message', (m) => resolve(m as { baseline: number; peak: number; history: number[] }));
    server.send(msg);
  });
}

/** What a spreadsheet-safe cell of `v` must read back as (written independently of the product's guard). */
function expectedCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

beforeAll(async () => {
  t = await createTestApp();
  [f, other] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
  jobId = await insertJob(t, f, { status: 'completed' });
  // 100,000 log rows with every CSV hazard: commas, quotes, newlines, formula starts, non-ASCII.
  await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`
    insert into freight.job_records (tenant_id, job_id, object, source_id, batch_id, target_object, target_id, status, action,
      error_kind, error_message, note, attempts, first_attempt_at, last_attempt_at)
    select ${f.tenant.id}, ${jobId}, case when g % 3 = 0 then 'organizations' else 'persons' end, lpad(g::text, 7, '0'),
      'persons-' || (g / 500), 'people', 'rec_' || md5(g::text), case when g % 50 = 0 then 'failed' else 'succeeded' end,
      case when g % 50 = 0 then null else 'created' end,
      case when g % 50 = 0 then 'validation' end,
      case g % 7 when 0 then 'bad "value", line1' || chr(10) || 'line2' when 1 then '=HYPERLINK("http://x")' when 2 then '+cmd' when 3 then '@SUM(A1)'
        when 4 then '-1' when 5 then 'Zürich, 東京 ✓' else null end,
      case when g % 11 = 0 then 'note, with comma' end,
      1 + g % 4, timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-02' + g * interval '1 millisecond'
    from generate_series(1, ${ROWS}) g`);
  // The API in its own process: its RSS is the server's alone (the parsing below runs here). It
  // collects garbage every half second, so RSS shows what it retains rather than V8's lazy headroom
  // (without that the same stream shows ~60 MB of collectable garbage, flat once collected).
  server = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(REPO_ROOT, 'test', 'integration', 'support', 'csv-server.ts')], {
    cwd: REPO_ROOT, env: { ...process.env, ...inject('stackEnv'), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`csv server exited with ${code}`)));
  });
  base = `http://127.0.0.1:${port}`;
}, 180_000);

afterAll(async () => {
  server?.kill('SIGTERM');
});

describe('records.csv of a 100,000-record job', () => {
  it('streams with flat memory while the client reads slowly, and parses back to the same rows', { timeout: 180_000 }, async () => {
    // Baseline after a warm-up request, so module loading and pools are not counted as growth.
    await (await fetch(`${base}/v1/jobs/${jobId}/report.csv`, { headers: { authorization: `Bearer ${f.viewer}` } })).text();
    await serverRss('reset');

    const res = await fetch(`${base}/v1/jobs/${jobId}/records.csv`, { headers: { authorization: `Bearer ${f.viewer}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="job-${jobId}-records.csv"`);
    const got = createHash('sha256');
    let count = 0;
    let header: string[] | undefined;
    const sample: string[][] = [];
    const started = Date.now();
    const slow = new Transform({
      transform(chunk: Buffer, _enc, done) {
        setTimeout(() => done(null, chunk), 3); // a slow reader: the server must wait, not buffer
      },
    });
    const parser = parse({ relax_column_count: false });
    const consume = (async () => {
      for await (const rec of parser as AsyncIterable<string[]>) {
        if (!header) { header = rec; continue; }
        got.update(JSON.stringify(rec));
        if (count % 9973 === 0) sample.push(rec);
        count += 1;
      }
    })();
    await pipeline(Readable.fromWeb(res.body as WebReadableStream), slow, parser);
    await consume;
    const { baseline, peak, history } = await serverRss('rss');
    const growthMb = (peak - baseline) / 1024 / 1024;
    console.info(`records.csv ${ROWS} rows, server RSS: baseline RSS ${(baseline / 1048576).toFixed(1)} MB, peak ${(peak / 1048576).toFixed(1)} MB, growth ${growthMb.toFixed(1)} MB; every 0.5 s: ${history.join(' ')}; ${Date.now() - started} ms`);

    expect(header).toEqual(COLUMNS);
    expect(count).toBe(ROWS);
    expect(growthMb).toBeLessThan(60);
    // Flat, not just small: the second half of the stream adds (almost) nothing to the first.
    const half = history.slice(Math.floor(history.length / 2));
    expect(Math.max(...half) - (history[Math.floor(history.length / 4)] ?? 0)).toBeLessThan(20);

    // The same rows, in the same order, read straight from the database with a cursor.
    const want = createHash('sha256');
    await withTenant(t.ctx.ownerSql, f.tenant.id, async (tx) => {
      for await (const rows of tx`select ${tx(COLUMNS)} from freight.job_records where job_id = ${jobId} order by object, source_id`.cursor(1000)) {
        for (const r of rows) want.update(JSON.stringify(COLUMNS.map((c) => expectedCell(r[c]))));
      }
    });
    expect(got.digest('hex')).toBe(want.digest('hex'));
    // Spot checks of the hazards (so a matching hash cannot hide both sides being wrong the same way).
    const messages = new Set(sample.map((r) => r[8]));
    expect([...messages].every((m) => m === '' || !/^[=+\-@]/.test(m ?? ''))).toBe(true);
  });

  it('a client that goes away mid-stream ends the transaction (the connection goes back to the pool)', { timeout: 60_000 }, async () => {
    const res = await fetch(`${base}/v1/jobs/${jobId}/records.csv`, { headers: { authorization: `Bearer ${f.engineer}` } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    const open = async (): Promise<number> => {
      const [row] = await t.ctx.ownerSql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where query like '%from freight.job_records where job_id%' and state <> 'idle'
          and pid <> pg_backend_pid()`;
      return row?.n ?? 0;
    };
    const deadline = Date.now() + 20_000;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await open()).toBe(0);
  });

  it('another tenant gets 404 on every report route; the CSV escapes hazards with the library rules', async () => {
    for (const path of ['report', 'report.csv', 'records.csv', 'artifacts', 'events']) {
      const res = await t.call('GET', `/v1/jobs/${jobId}/${path}`, { token: other.viewer });
      expect(res.status, path).toBe(404);
      const engineer = await t.call('GET', `/v1/jobs/${jobId}/${path}`, { token: other.engineer });
      expect(engineer.status, path).toBe(404);
    }
    const report = await t.call('GET', `/v1/jobs/${jobId}/report`, { token: f.viewer });
    const body = (await report.json()) as { totals: { records: number; failed: number }; retries: { records: number } };
    expect(body.totals).toMatchObject({ records: ROWS, failed: ROWS / 50 });
    // attempts = 1 + g % 4 → retries per row g % 4: 0+1+2+3 per 4 rows.
    expect(body.retries.records).toBe((ROWS / 4) * 6);
  });
});
