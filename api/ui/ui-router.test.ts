import path from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createUiRouter } from './index.ts';
import { ASSETS_DIR } from './static.ts';

const ui = createUiRouter();
const JOB = '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11';

describe('dashboard router', () => {
  it('serves every page as HTML with a strict CSP and no inline script', async () => {
    for (const [url, page] of [['/', 'jobs'], ['/sign-in', 'sign-in'], ['/jobs/new', 'create'], [`/jobs/${JOB}`, 'job']] as const) {
      const res = await ui.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await res.text();
      expect(body).toContain(`data-page="${page}"`);
      // Scripts only by src; no inline handlers.
      expect(body.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/ui/assets/app.js">']);
      expect(body).not.toMatch(/\son[a-z]+="/);
      expect(body).toContain('<main id="main"');
    }
  });

  it('labels every form control of the create page', async () => {
    const body = await (await ui.request('/jobs/new')).text();
    const ids = [...body.matchAll(/<(?:input|select)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(body, id).toContain(`for="${id}"`);
    // Checkboxes without an id sit inside their label.
    expect([...body.matchAll(/<label class="check"><input type="checkbox" name="objects"/g)]).toHaveLength(11);
  });

  it('escapes what it interpolates and refuses job ids that are not UUIDs', async () => {
    expect((await ui.request('/jobs/%3Cscript%3E')).status).toBe(404);
    const res = await ui.request(`/jobs/${JOB.toUpperCase()}`);
    expect(await res.text()).toContain(`data-job-id="${JOB}"`);
  });

  it('mounted under /ui, sends trailing-slash URLs to the page without it', async () => {
    const app = new Hono().route('/ui', ui);
    expect((await app.request('/ui')).status).toBe(200);
    const res = await app.request('/ui/?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/ui?x=1');
    expect((await app.request('/ui/jobs/new/')).headers.get('location')).toBe('/ui/jobs/new');
  });

  it('serves only the known assets, with their types', async () => {
    const js = await ui.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await ui.request('/assets/styles.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await ui.request('/assets/..%2Findex.ts')).status).toBe(404);
    expect((await ui.request('/assets/nope.js')).status).toBe(404);
  });

  it('never writes data as HTML in the front end', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const name of readdirSync(ASSETS_DIR).filter((n) => n.endsWith('.js'))) {
      const source = readFileSync(path.join(ASSETS_DIR, name), 'utf8');
      expect(source, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    }
  });
});

describe('SSE parser of the dashboard', async () => {
  // A browser module without type declarations: loaded by path so the compiler does not resolve it.
  const modulePath = path.join(ASSETS_DIR, 'live.js');
  const { createSseParser } = (await import(modulePath)) as { createSseParser: (dispatch: (e: { type: string; data: string; id: string | null }) => void) => { push(chunk: string): void; lastEventId: string | null; retry: number | null } };

  it('parses events split anywhere across chunks, CRLF included', () => {
    const events: { type: string; data: string; id: string | null }[] = [];
    const parser = createSseParser((e) => events.push(e));
    const stream = ': heartbeat\r\n\r\nid: 7\r\nevent: progress\r\ndata: {"percent":50}\r\n\r\nretry: 2500\nid: 8\nevent: batch\ndata: {"a":1,\ndata: "b":2}\n\ndata:plain\n\n';
    // Every split point, including the middle of "\r\n".
    for (let cut = 1; cut < stream.length; cut += 1) {
      events.length = 0;
      const p = createSseParser((e) => events.push(e));
      p.push(stream.slice(0, cut));
      p.push(stream.slice(cut));
      expect(events, `cut at ${cut}`).toEqual([
        { type: 'progress', data: '{"percent":50}', id: '7' },
        { type: 'batch', data: '{"a":1,\n"b":2}', id: '8' },
        { type: 'message', data: 'plain', id: '8' },
      ]);
      expect(p.lastEventId).toBe('8');
      expect(p.retry).toBe(2500);
    }
    parser.push('event: status\ndata: {"status":"completed"}\n');
    expect(events).toHaveLength(3);
  });
});
