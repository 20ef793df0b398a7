import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

function found(): string | undefined {
  const own = process.env.FREIGHT_CHROMIUM_PATH;
  if (own && existsSync(own)) return own;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Debian's Chromium for the browser tests: the installed binary, or `apt-get install -y chromium`
 * (as root; `apt-get update` first only when the package is unknown to apt). Throws with what to do
 * when it cannot be installed here.
 */
export async function ensureChromium(log: (m: string) => void = () => {}): Promise<string> {
  const existing = found();
  if (existing) return existing;
  if (process.getuid?.() !== 0) throw new Error('Chromium is missing: install Debian\'s `chromium` package (or set FREIGHT_CHROMIUM_PATH)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const known = await run('apt-cache', ['policy', 'chromium'], { env }).then((r) => /Candidate: (?!\(none\))/.test(r.stdout), () => false);
  if (!known) {
    log('apt-get update (chromium is not in the package lists yet)');
    await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
  }
  log('apt-get install -y chromium');
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
  const installed = found();
  if (!installed) throw new Error('apt-get installed chromium but no binary was found at /usr/bin/chromium');
  return installed;
}
