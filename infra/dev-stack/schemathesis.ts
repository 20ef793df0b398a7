import path from 'node:path';
import { cacheDir, VERSIONS } from './paths.ts';
import { isExecutable, runAsync, which } from './run.ts';
import { withLock } from './lock.ts';

/**
 * Schemathesis (PyPI), pinned, in a venv of its own in the tool cache: `npm run fuzz` drives it
 * against a live API. FREIGHT_SCHEMATHESIS_BIN points at an installed one instead.
 */
export async function installSchemathesis(logDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.FREIGHT_SCHEMATHESIS_BIN;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new Error(`FREIGHT_SCHEMATHESIS_BIN=${explicit} is not an executable file`);
  }
  const venv = path.join(cacheDir(env), `schemathesis-${VERSIONS.schemathesis}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  return withLock(path.join(cacheDir(env), 'install-schemathesis.lock'), 'install schemathesis', async () => {
    if (await isExecutable(bin)) return bin;
    const python = which('python3');
    if (!python) throw new Error('npm run fuzz needs python3 (Schemathesis is a Python tool)');
    const logFile = path.join(logDir, 'install-schemathesis.log');
    await runAsync(python, ['-m', 'venv', venv], { logFile });
    await runAsync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${VERSIONS.schemathesis}`], { logFile });
    if (!(await isExecutable(bin))) throw new Error(`Schemathesis did not install; see ${logFile}`);
    return bin;
  });
}
