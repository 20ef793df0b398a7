import { readState } from '../dev-stack/state.ts';
import { stackDataDir } from '../dev-stack/paths.ts';

const KEY_PATTERN = /frt_(live|test)_[0-9A-Za-z]{32}/;

/**
 * Finds Freight API keys and the test stack's passwords in captured log text. Returns one line per
 * leak (file and what leaked, never the secret itself).
 */
export async function scanForSecrets(files: { name: string; text: string }[]): Promise<string[]> {
  const state = await readState(stackDataDir('test'));
  const passwords = [
    state.postgres?.superPassword, state.postgres?.ownerPassword, state.postgres?.appPassword,
    state.minio?.secretKey, state.adminApiKey, process.env.FREIGHT_ADMIN_API_KEY,
  ].filter((p): p is string => typeof p === 'string' && p.length >= 12);
  const leaks: string[] = [];
  for (const file of files) {
    if (KEY_PATTERN.test(file.text)) leaks.push(`${file.name}: a Freight API key`);
    for (const [i, pw] of passwords.entries()) if (file.text.includes(pw)) leaks.push(`${file.name}: stack secret #${i + 1}`);
  }
  return leaks;
}
