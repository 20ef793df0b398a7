/** A non-2xx answer of Freight's API, with its status so callers can tell 404/409 from the rest. */
export class ApiCallError extends Error {
  constructor(readonly status: number, readonly body: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * A tiny client for Freight's REST API, used by the start and demo commands. Every call has a
 * deadline, so a hung API shows up as an error instead of a demo that waits forever.
 */
export function createApiClient(baseUrl: string, apiKey: string, timeoutMs = 30_000) {
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, callTimeoutMs = timeoutMs): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiCallError(res.status, text, `${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown, headers?: Record<string, string>, callTimeoutMs?: number) => call<T>('POST', path, body ?? {}, headers, callTimeoutMs),
  };
}

/** Polls /ready until every dependency answers, or fails with the last answer. */
export async function waitReady(baseUrl: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the API process exited during start-up');
    try {
      const res = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(5000) });
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`API not ready after ${timeoutMs / 1000} s: ${last}`);
}
