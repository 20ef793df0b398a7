import { expect } from 'vitest';
import type { TestApp } from '../../support/app.ts';

export interface RawRequest {
  token?: string | undefined;
  /** Sent as is (no JSON encoding), so malformed bodies can be sent. */
  body?: string | undefined;
  contentType?: string | undefined;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
  label: string;
}

/** One request through the in-process app, the response read whole. `label` names it in failures. */
export async function send(t: TestApp, method: string, path: string, req: RawRequest = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
  const res = await t.app.request(path, { method, headers, ...(req.body !== undefined ? { body: req.body } : {}) });
  const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? await streamStart(res) : await res.text();
  const shown = req.body !== undefined && req.body.length > 200 ? `${req.body.slice(0, 200)}…(${req.body.length} bytes)` : req.body;
  return { status: res.status, text, headers: res.headers, label: `${method} ${path}${shown !== undefined ? ` body=${shown}` : ''} → ${res.status} ${text.slice(0, 300)}` };
}

/** What an event stream sends in its first moments (it never ends by itself), then closes it. */
async function streamStart(res: Response, ms = 250): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && text.length < 65_536) {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now())));
    const next = await Promise.race([reader.read(), timeout]);
    if (next === 'timeout' || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

/** Never a 5xx; every 4xx carries the uniform error body with the response's request id. */
export function checkUniform(a: Answer): void {
  expect(a.status, a.label).toBeLessThan(500);
  if (a.status < 400) return;
  let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  try {
    body = JSON.parse(a.text) as typeof body;
  } catch {
    throw new Error(`not a JSON error body: ${a.label}`);
  }
  expect(typeof body.error?.code, a.label).toBe('string');
  expect(typeof body.error?.message, a.label).toBe('string');
  expect(body.error?.requestId, a.label).toBe(a.headers.get('x-request-id'));
}

/** `checkUniform` plus the exact status (or one of several) and, optionally, the error code. */
export function expectError(a: Answer, status: number | number[], code?: string): void {
  checkUniform(a);
  const allowed = Array.isArray(status) ? status : [status];
  expect(allowed, a.label).toContain(a.status);
  if (code) expect((JSON.parse(a.text) as { error: { code: string } }).error.code, a.label).toBe(code);
}
