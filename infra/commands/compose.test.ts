import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';
import { REPO_ROOT } from '../dev-stack/paths.ts';
import { parseCliOptions } from '../sandbox/cli-options.ts';

/**
 * docker-compose.yml against the rest of the repo, without Docker: every variable it sets or reads is
 * documented, Freight's shared environment passes the real config loader, and the sandbox service
 * starts the way its own CLI accepts. `yaml` arrives transitively; without it this part is skipped.
 */
type Yaml = { parse: (src: string, options?: { merge?: boolean }) => unknown };
const yamlModule = 'yaml'; // not a direct dependency: resolved at run time, not by tsc
const yaml = (await import(yamlModule).catch(() => undefined)) as Yaml | undefined;

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
}

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const composeText = read('docker-compose.yml');

/** `NAME` tokens in table rows of the given markdown files: the first cell, or every cell. */
function documentedNames(files: string[], cells: 'first' | 'all' = 'first'): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    if (!existsSync(path.join(REPO_ROOT, file))) continue;
    for (const line of read(file).split('\n')) {
      const scanned = cells === 'all' ? (line.startsWith('|') ? line : '') : (/^\|([^|]*)\|/.exec(line)?.[1] ?? '');
      for (const m of scanned.matchAll(/`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`/g)) if (m[1]) names.add(m[1]);
    }
  }
  return names;
}

// README.md's configuration table; infra/commands/README.md holds the rows of the sandbox and demo
// until it is merged there. The sandbox's own variables are documented in its README's table.
const documented = documentedNames(['README.md', 'infra/commands/README.md']);
const sandboxVariables = documentedNames(['infra/sandbox/README.md'], 'all');
/** Variables of the third-party images, documented by those images. */
const imageVariables = new Set(['POSTGRES_PASSWORD', 'POSTGRES_USER', 'POSTGRES_DB', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD', 'MINIO_KMS_SECRET_KEY']);

/** `${NAME:-default}` → default (what compose uses when the host does not set NAME). */
const withDefaults = (value: string): string => value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '');

describe.skipIf(!yaml)('docker-compose.yml', () => {
  const compose = yaml?.parse(composeText, { merge: true }) as { services: Record<string, Service> } | undefined;
  const services = compose?.services ?? {};

  it('sets only documented variables in every service', () => {
    const undocumented: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const key of Object.keys(service.environment ?? {})) {
        const known = documented.has(key) || sandboxVariables.has(key) || imageVariables.has(key);
        if (!known) undocumented.push(`${name}: ${key}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('reads only documented host variables (${NAME:-default})', () => {
    const read = [...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1] as string);
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((n) => !documented.has(n) && !sandboxVariables.has(n))).toEqual([]);
  });

  it("gives the API and the worker an environment that Freight's config loader accepts", () => {
    for (const name of ['api', 'worker']) {
      const env = Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v))]));
      expect(() => loadConfig(env), name).not.toThrow();
      expect(loadConfig(env).encryptionKeys.length, `${name}: connections need FREIGHT_ENCRYPTION_KEYS`).toBeGreaterThan(0);
    }
  });

  it('runs every built service from an entrypoint that exists', () => {
    for (const [name, service] of Object.entries(services).filter(([, s]) => s.build)) {
      const [bin, entry] = service.command ?? [];
      expect(bin, name).toBe('node_modules/.bin/tsx');
      expect(existsSync(path.join(REPO_ROOT, entry ?? '')), `${name}: ${entry}`).toBe(true);
    }
  });

  it('starts the sandbox the way its CLI accepts, on the ports it publishes, on loopback only', () => {
    const sandbox = services.sandbox;
    expect(sandbox?.command?.[1]).toBe('infra/sandbox/main.ts');
    const env = Object.fromEntries(Object.entries(sandbox?.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v))]));
    const options = parseCliOptions(sandbox?.command?.slice(2) ?? [], env);
    expect(options.host).toBe('0.0.0.0');
    expect(options.size).toBeGreaterThanOrEqual(5000);
    expect(options.noLimits).toBe(false);
    expect(sandbox?.ports?.sort()).toEqual([`127.0.0.1:${options.affinityPort}:${options.affinityPort}`, `127.0.0.1:${options.attioPort}:${options.attioPort}`].sort());
  });
});
