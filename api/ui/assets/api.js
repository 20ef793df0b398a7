// The dashboard is a plain client of the public REST API: the key lives in this tab's sessionStorage
// and is sent as a Bearer header on every call (no cookies, so no cross-site request can use it).

const STORAGE_KEY = 'freight.apiKey';

export const session = {
  get key() {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  set(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

/** A non-2xx answer in Freight's uniform error shape (or what could be made of another body). */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = e.code || 'http_error';
    this.details = e.details;
    this.requestId = e.requestId;
  }
}

export function goToSignIn() {
  const next = location.pathname + location.search;
  location.assign(`/ui/sign-in?next=${encodeURIComponent(next)}`);
}

/**
 * Calls the API. Returns the parsed JSON (null for 204), or the Response itself with `raw: true`.
 * A 401 ends the session and goes to the sign-in page (the key was revoked or mistyped).
 */
export async function api(path, options = {}) {
  const token = options.token ?? session.key;
  const headers = { accept: 'application/json', ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const init = { method: options.method ?? 'GET', headers, signal: options.signal };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    if (res.status === 401 && !options.token) {
      session.clear();
      goToSignIn();
    }
    throw new ApiError(res.status, body);
  }
  if (options.raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

/** One line for people: message, code, the fields at fault and the request id to quote. */
export function describeError(err) {
  if (!(err instanceof ApiError)) return `Request failed: ${err && err.message ? err.message : String(err)}`;
  const parts = [`${err.message} (${err.status} ${err.code})`];
  const issues = Array.isArray(err.details) ? err.details : err.details && Array.isArray(err.details.issues) ? err.details.issues : [];
  for (const issue of issues.slice(0, 10)) {
    const where = Array.isArray(issue.path) ? issue.path.join('.') : issue.path ?? '';
    parts.push(`${where ? `${where}: ` : ''}${issue.message ?? JSON.stringify(issue)}`);
  }
  if (err.requestId) parts.push(`request id ${err.requestId}`);
  return parts.join(' · ');
}

/** A random Idempotency-Key (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
