import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type VerifyFreightSignature = (secret: string, header: string, rawBody: string | Buffer, nowSeconds?: number) => boolean;

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

/**
 * The verification snippet the README documents for receivers, loaded as written (the ```js block
 * after the `webhook-verify-snippet` marker): tests run exactly what customers copy.
 */
export async function loadReadmeVerifier(): Promise<VerifyFreightSignature> {
  const text = readFileSync(README, 'utf8');
  const match = /<!-- webhook-verify-snippet -->\s*```js\n([\s\S]*?)```/.exec(text);
  if (!match?.[1]) throw new Error('README.md has no webhook-verify-snippet block');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'freight-snippet-')), 'verify.mjs');
  writeFileSync(file, match[1]);
  const mod = (await import(pathToFileURL(file).href)) as { verifyFreightSignature?: VerifyFreightSignature };
  if (typeof mod.verifyFreightSignature !== 'function') throw new Error('the README snippet does not export verifyFreightSignature');
  return mod.verifyFreightSignature;
}
