import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOADS_DIR, horizontalOverflow, launchBrowser, screenshot, serveHttp } from '../helpers/browser.ts';
import {
  asTenant, createEngineTenant, sandboxControl, startSandboxes, startWorkerProcess, testTaskQueue, type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../helpers/engine.ts';
import { createKey } from './support/app.ts';

// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real API on a
// real port, a real worker process and the sandbox APIs with poison records.
const QUEUE = testTaskQueue('ui');

let worker: WorkerProcess;
let sandboxes: Sandboxes;
let e: EngineTenant;
let viewerKey: string;
let http: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  worker = startWorkerProcess(QUEUE);
  // ~300 records over every object; 2 % poison: a few records Attio rejects until the switch is off.
  sandboxes = await startSandboxes({ seed: 'ui-poison', size: 300, poisonRate: 0.02 });
  e = await createEngineTenant(sandboxes, QUEUE);
  viewerKey = (await createKey(e.t, e.tenantId, 'viewer')).key;
  http = await serveHttp(e.t.app.fetch);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

/** A fresh browser context (its own sessionStorage) that records page errors and CSP reports. */
async function openPage(width = 1280, height = 800): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // 4xx answers the page handles itself show up as console errors; CSP violations and script errors do not look like that.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${http.url}/ui`);
  await page.waitForURL(/\/ui\/sign-in/);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${http.url}/ui`);
}

/** The bits of an HTMLProgressElement read here (no DOM types in this project's compiler settings). */
type ProgressBar = { value: number; hasAttribute(name: string): boolean };

const percentOf = (page: Page) => page.locator('#job-progress').evaluate((bar: ProgressBar) => (bar.hasAttribute('value') ? bar.value : null));

describe('web dashboard', () => {
  it('engineer: sign in, create a job, watch it to 100 %, retry a failed batch, download records.csv; viewer: no action buttons', { timeout: 300_000 }, async () => {
    const spec = (await (await e.t.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/ui'))).toEqual([]);
    const { context, page, problems } = await openPage();
    const ui = await page.request.get(`${http.url}/ui/sign-in`);
    expect(ui.headers()['content-security-policy']).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(ui.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);

    // Event streams the page opened (fetch + Bearer header), with their HTTP status.
    const eventStreams: number[] = [];
    page.on('response', (res) => {
      if (/\/v1\/jobs\/[^/]+\/events$/.test(new URL(res.url()).pathname)) eventStreams.push(res.status());
    });
    await signIn(page, e.key);
    await expect.poll(() => page.locator('#session-who').textContent()).toMatch(/engineer/);
    expect(await page.locator('#session-who').textContent()).toContain('(t-');

    // A rejected request shows the uniform error body (a 400 from the API, not a client-side check).
    await page.getByRole('link', { name: 'New job' }).first().click();
    await page.waitForURL(/\/ui\/jobs\/new$/);
    await expect.poll(() => page.locator('#source option').count()).toBeGreaterThan(0);
    expect(await page.locator('#source').inputValue()).toBe(e.sourceConnectionId);
    expect(await page.locator('#target').inputValue()).toBe(e.targetConnectionId);
    await page.getByLabel('Batch size').fill('5000');
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => page.locator('#create-error').textContent()).toMatch(/validation_failed.*batchSize/);
    await screenshot(page, 'dashboard-create-error');

    await page.getByLabel('Batch size').fill('50');
    // The plan before the job: counted on the source, nothing created nor written.
    await page.getByRole('button', { name: 'Plan' }).click();
    await expect.poll(() => page.locator('#plan-view').isVisible(), { timeout: 30_000 }).toBe(true);
    const planCounts = Object.fromEntries((await page.locator('#plan-counts tbody tr').allTextContents()).map((row) => [row.replace(/[\d,.\s]+$/, ''), Number(row.replace(/\D/g, ''))]));
    const c = sandboxes.affinity.account.counts;
    expect(planCounts).toEqual({ organizations: c.organizations, persons: c.persons, opportunities: c.opportunities, lists: c.listEntries + c.opportunityListEntries, notes: c.notes });
    expect(await page.locator('#plan-eta').textContent()).toMatch(/\d+ (s|min).* under the real limits/);
    expect(await page.locator('#plan-quota').textContent()).toMatch(/^fits: [\d,.]+ calls needed/);
    expect(await page.locator('#plan-calls tbody').textContent()).toContain('PUT /v2/objects/people/records');
    expect(await page.locator('#plan-no-warnings').isVisible()).toBe(true);
    expect(((await (await e.t.call('GET', '/v1/jobs', { token: e.key })).json()) as { data: unknown[] }).data).toEqual([]);
    expect(((await (await fetch(`${sandboxes.attio.url}/__sandbox/summary`)).json()) as { notes: number }).notes).toBe(0);
    await screenshot(page, 'dashboard-plan');

    await page.getByLabel('Max attempts').fill('3');
    await page.getByLabel('Initial interval (ms)').fill('100');
    await page.getByLabel('Maximum interval (ms)').fill('1000');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/ui\/jobs\/[0-9a-f-]{36}$/);
    const jobId = page.url().split('/').pop() ?? '';
    expect(await e.t.call('GET', `/v1/jobs/${jobId}`, { token: e.key }).then((r) => r.json())).toMatchObject({ batchSize: 50, retryPolicy: { maxAttempts: 3 } });

    // Progress bar to 100 %; with poison records the job ends completed_with_errors.
    await expect.poll(() => percentOf(page), { timeout: 150_000, interval: 500 }).toBe(100);
    await expect.poll(() => page.locator('#job-status').textContent(), { timeout: 30_000 }).toBe('completed with errors');
    const eventsProbe = await fetch(`${http.url}/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${e.key}` }, signal: AbortSignal.timeout(5_000) });
    const streaming = eventsProbe.status === 200;
    await eventsProbe.body?.cancel();
    // With the SSE endpoint present the page must be on the stream, not on its polling fallback.
    expect(await page.locator('#live-mode').textContent()).toMatch(streaming ? /stream/ : /polling/);
    expect(await page.locator('#live-mode').textContent()).not.toMatch(streaming ? /polling/ : /stream/);
    if (streaming) expect(eventStreams.filter((status) => status === 200).length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#failures-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#failures-table tbody').textContent()).toMatch(/validation/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Landmarks, the skip link first in tab order, and a visible focus ring.
    for (const role of ['banner', 'main', 'contentinfo'] as const) expect(await page.getByRole(role).count(), role).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await screenshot(page, 'dashboard-job-completed-with-errors');
    // The job reconciled itself when it finished: exactly its poison records are missing, each with the record log's reason.
    await expect.poll(() => page.locator('#reconcile-summary').textContent(), { timeout: 90_000, interval: 500 }).toMatch(/^Run 1 .*difference\(s\)/);
    const [{ failedRecords } = { failedRecords: -1 }] = await asTenant(e, (tx) => tx<{ failedRecords: number }[]>`
      select count(*)::int as "failedRecords" from freight.job_records where job_id = ${jobId} and status = 'failed'`);
    const missing = page.locator('#reconcile-differences tbody tr[data-kind="missing"]');
    expect(await missing.count()).toBe(failedRecords);
    expect(await page.locator('#reconcile-differences tbody tr').count()).toBe(failedRecords);
    expect(await missing.first().textContent()).toMatch(/failed: validation/);
    expect(await page.locator('#reconcile-objects tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-reconciliation');
    await page.getByRole('button', { name: 'Reconcile now' }).click();
    await expect.poll(() => page.locator('#action-result').textContent()).toMatch(/Reconciliation \d+ started/);
    await expect.poll(() => page.locator('#reconcile-summary').textContent(), { timeout: 90_000, interval: 500 }).toMatch(/^Run 2 .*asked for.*difference\(s\)/);

    // The fix: poison off, then "Retry batch" on one failed batch → that batch succeeds.
    await sandboxControl(`${sandboxes.attio.url}/__sandbox/poison`, 'POST', { enabled: false });
    const failedRow = page.locator('#batches-table tbody tr[data-status="completed_with_errors"], #batches-table tbody tr[data-status="failed"]').first();
    const batchId = await failedRow.getAttribute('data-batch-id') ?? '';
    expect(batchId).not.toBe('');
    await failedRow.getByRole('button', { name: `Retry batch ${batchId}` }).click();
    await expect.poll(() => page.locator('#action-result').textContent()).toContain(`Batch ${batchId} queued for retry`);
    await expect.poll(() => page.locator(`#batches-table tbody tr[data-batch-id="${batchId}"]`).getAttribute('data-status'), { timeout: 60_000, interval: 500 })
      .toBe('succeeded');
    // The workflow may run the batch once more afterwards (its references pass); it settles as succeeded.
    await expect.poll(async () => (await asTenant(e, (tx) => tx<{ status: string; failed: number }[]>`
      select status, (select count(*)::int from freight.job_records r where r.job_id = b.job_id and r.batch_id = b.id and r.status = 'failed') as failed
      from freight.job_batches b where job_id = ${jobId} and id = ${batchId}`))[0], { timeout: 60_000, interval: 500 }).toEqual({ status: 'succeeded', failed: 0 });
    await expect.poll(() => page.locator(`#batches-table tbody tr[data-batch-id="${batchId}"]`).getAttribute('data-status'), { timeout: 30_000, interval: 500 })
      .toBe('succeeded');
    await screenshot(page, 'dashboard-batch-retried');

    // records.csv through the page (Bearer fetch → blob → download attribute), parsed back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Records (CSV)' }).click()]);
    mkdirSync(DOWNLOADS_DIR, { recursive: true });
    const file = path.join(DOWNLOADS_DIR, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`job-${jobId.slice(0, 8)}-records.csv`);
    const rows = parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
    const [{ n } = { n: 0 }] = await asTenant(e, (tx) => tx<{ n: number }[]>`select count(*)::int as n from freight.job_records where job_id = ${jobId}`);
    expect(n).toBeGreaterThan(200);
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.batch_id === batchId).every((r) => r.status === 'succeeded' || r.status === 'skipped')).toBe(true);
    await expect.poll(() => page.locator('#download-result').textContent()).toMatch(/Downloaded .*records\.csv/);
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (JSON)' }).click()]);
    const reportFile = path.join(DOWNLOADS_DIR, reportDownload.suggestedFilename());
    await reportDownload.saveAs(reportFile);
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toBeTypeOf('object');
    // Stored artifacts: batch archives (and reports) as presigned links.
    await page.getByRole('button', { name: 'List stored artifacts' }).click();
    await expect.poll(() => page.locator('#artifacts li a').count()).toBeGreaterThan(0);
    expect(await page.locator('#artifacts li a').first().getAttribute('href')).toMatch(/^https?:\/\/.*X-Amz-Signature=/);

    // No sideways scrolling on laptop screens: job detail and job list at 1280×800 and 1366×768.
    for (const [w, h] of [[1280, 800], [1366, 768]] as const) {
      await page.setViewportSize({ width: w, height: h });
      expect(await horizontalOverflow(page), `job page at ${w}x${h}`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.waitForURL(`${http.url}/ui`);
    const listRow = page.locator(`#jobs-table tr[data-job-id="${jobId}"]`);
    await expect.poll(() => listRow.locator('progress').evaluate((bar: ProgressBar) => bar.value)).toBe(100);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'dashboard-job-list');
    expect(problems).toEqual([]);
    await context.close();

    // A viewer sees the job but no control at all: the buttons are not in the DOM.
    const viewer = await openPage();
    await signIn(viewer.page, viewerKey);
    await expect.poll(() => viewer.page.locator('#session-who').textContent()).toMatch(/viewer/);
    expect(await viewer.page.getByRole('link', { name: 'New job' }).count()).toBe(0);
    // This browser gets no event stream (as against an API without it): the page falls back to polling.
    await viewer.page.route(/\/v1\/jobs\/[^/]+\/events$/, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"Route","requestId":"x"}}' }));
    await viewer.page.goto(`${http.url}/ui/jobs/${jobId}`);
    await expect.poll(() => viewer.page.locator('#batches-table tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => viewer.page.locator('#live-mode').textContent()).toMatch(/polling every 2 s/);
    await expect.poll(() => percentOf(viewer.page)).toBe(100);
    expect(await viewer.page.getByRole('button', { name: /retry|pause|resume|cancel/i }).count()).toBe(0);
    expect(await viewer.page.locator('[data-action]').count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: 'Records (CSV)' }).count()).toBe(1);
    // The reconciliation is there to read, not to start.
    await expect.poll(() => viewer.page.locator('#reconcile-summary').textContent()).toMatch(/^Run \d+ /);
    expect(await viewer.page.getByRole('button', { name: 'Reconcile now' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: 'Differences (CSV)' }).count()).toBe(1);
    expect(await horizontalOverflow(viewer.page)).toBeLessThanOrEqual(0);
    await screenshot(viewer.page, 'dashboard-viewer-job');
    await viewer.page.goto(`${http.url}/ui/jobs/new`);
    await expect.poll(() => viewer.page.locator('#create-denied').isVisible()).toBe(true);
    expect(await viewer.page.locator('#create-form').count()).toBe(0);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });

  it('a job that is not there shows only that; a cancelled job shows a still bar', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, e.key);
    await page.goto(`${http.url}/ui/jobs/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.locator('#job-error').textContent()).toMatch(/not found/i);
    // No controls, tables or live status for a job that is not there (an engineer would otherwise get them).
    expect(await page.locator('#job-content').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /retry|pause|resume|cancel/i }).count()).toBe(0);
    expect(await page.locator('#live-mode').isVisible()).toBe(false);
    expect(await page.getByText('connecting…').isVisible()).toBe(false);
    expect(await page.locator('#reconcile').isVisible()).toBe(false);
    await screenshot(page, 'dashboard-job-not-found');

    // Cancelled before it moved anything: a determinate bar (a value), not the moving indeterminate one.
    const created = await e.t.call('POST', '/v1/jobs', { token: e.key, body: { sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await e.t.call('POST', `/v1/jobs/${id}/cancel`, { token: e.key, body: { reason: 'ui test' } })).status).toBeLessThan(300);
    await expect.poll(async () => ((await e.t.call('GET', `/v1/jobs/${id}`, { token: e.key }).then((r) => r.json())) as { status: string }).status,
      { timeout: 60_000, interval: 500 }).toBe('cancelled');
    await page.goto(`${http.url}/ui/jobs/${id}`);
    await expect.poll(() => page.locator('#job-status').textContent()).toBe('cancelled');
    expect(await percentOf(page)).not.toBeNull();
    // What the estimate rests on is said beside the bar.
    expect(await page.locator('#job-facts').textContent()).toMatch(/Estimate.*(call plan|exact|no call plan)/);
    const objectBars = await page.locator('#objects-table progress').evaluateAll((bars: ProgressBar[]) => bars.map((b) => (b.hasAttribute('value') ? b.value : null)));
    expect(objectBars.length).toBeGreaterThan(0);
    expect(objectBars.every((v) => v !== null), JSON.stringify(objectBars)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
  it('a dry-run job shows its diff: counts per class, filters by class and object, changes old → new, CSV', { timeout: 180_000 }, async () => {
    // One source person's name changed in the target (asserted on its email through Attio's public API): an update.
    const account = sandboxes.affinity.account;
    const person = Array.from({ length: account.counts.persons }, (_, i) => account.person(i)).find((p) => p.primary_email && p.first_name && !p.last_name.includes('__poison__'));
    if (!person?.primary_email) throw new Error('no person with an email');
    const attio = (method: string, url: string, body: unknown) => fetch(`${sandboxes.attio.url}/v2${url}`, {
      method, headers: { authorization: `Bearer ${sandboxes.attio.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const seeded = await attio('PUT', '/objects/people/records?matching_attribute=email_addresses', {
      data: { values: { email_addresses: [person.primary_email], name: [{ first_name: 'Someone', last_name: 'Else', full_name: 'Someone Else' }] } },
    });
    expect(seeded.status).toBe(200);
    const created = await e.t.call('POST', '/v1/jobs', {
      token: e.key,
      body: { sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, objects: ['persons'], dryRun: true, mapping: { fields: { enabled: false }, list: { enabled: false } } },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expect.poll(async () => ((await e.t.call('GET', `/v1/jobs/${id}`, { token: e.key }).then((r) => r.json())) as { status: string }).status,
      { timeout: 120_000, interval: 500 }).toBe('completed');
    const diff = (await (await e.t.call('GET', `/v1/jobs/${id}/diff?limit=1000`, { token: e.key })).json()) as { counts: Record<string, number> };
    const updates = diff.counts.update ?? 0;
    expect(updates).toBeGreaterThanOrEqual(1);

    const { context, page, problems } = await openPage();
    await signIn(page, viewerKey);
    await page.goto(`${http.url}/ui/jobs/${id}`);
    await expect.poll(() => page.locator('#diff-section').isVisible()).toBe(true);
    for (const [cls, n] of Object.entries(diff.counts)) {
      await expect.poll(() => page.locator(`#diff-counts dd[data-class="${cls}"]`).textContent()).toBe(n.toLocaleString('en-US'));
    }
    const total = Object.values(diff.counts).reduce((a, b) => a + b, 0);
    await expect.poll(() => page.locator('#diff-table tbody tr').count()).toBe(Math.min(100, total));

    await page.locator('#diff-class').selectOption('update');
    await expect.poll(() => page.locator('#diff-table tbody tr').count()).toBe(updates);
    expect(await page.locator('#diff-table tbody tr[data-class]:not([data-class="update"])').count()).toBe(0);
    const changedRow = page.locator(`#diff-table tbody tr[data-source-id="${person.id}"]`);
    await expect.poll(() => changedRow.textContent()).toMatch(/name: .*Someone.*→/);
    await page.locator('#diff-object').selectOption('persons');
    await expect.poll(() => page.locator('#diff-table tbody tr').count()).toBe(updates);
    await screenshot(page, 'dashboard-dry-run-diff');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#diff-csv').click()]);
    const file = path.join(DOWNLOADS_DIR, download.suggestedFilename());
    mkdirSync(DOWNLOADS_DIR, { recursive: true });
    await download.saveAs(file);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as { class: string; source_id: string; attribute: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(updates);
    expect(rows.every((r) => r.class === 'update')).toBe(true);
    expect(rows.some((r) => r.source_id === String(person.id) && r.attribute === 'name')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
