/** A small JSON client for the sandbox tests (test support only; not used by the servers). */

/** Response bodies are asserted field by field in tests; a loose type keeps those assertions readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface JsonResponse<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
}

export function createTestClient(baseUrl: string, authorization?: string) {
  return async function call<T = LooseJson>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
}

export const basicAuth = (key: string) => `Basic ${Buffer.from(`:${key}`).toString('base64')}`;

/** A clock the test moves by hand: rate-limit windows and Retry-After become exact. */
export function createFakeClock(start = Date.UTC(2025, 0, 15, 12, 0, 0, 250)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}
