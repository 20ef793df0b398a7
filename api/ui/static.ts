import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticAsset {
  body: string;
  type: string;
}

export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/**
 * The dashboard's front-end files, read once when the router is built. Only names found here are
 * ever served, so a request path can never reach outside the folder.
 */
export function loadAssets(dir = ASSETS_DIR): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (type) assets.set(name, { body: readFileSync(path.join(dir, name), 'utf8'), type });
  }
  return assets;
}
