import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';
import { ensureChromium } from './chromium.ts';

/** CI keeps test-artifacts/ (screenshots, downloads, logs). */
export const SCREENSHOTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
export const DOWNLOADS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'downloads');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = await ensureChromium((m) => console.error(`[chromium] ${m}`));
  // --no-sandbox: test machines and containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

/** An app's fetch handler on a real port of 127.0.0.1, as a browser needs it. */
export async function serveHttp(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      // Event streams stay open: cut them, then wait for the listener to close.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Page width against the viewport: > 0 means the page scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
