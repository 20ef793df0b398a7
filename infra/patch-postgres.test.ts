import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './dev-stack/paths.ts';
import { BUILDS, HUNKS, patchPostgres, patchText, type Hunk } from './patch-postgres.mjs';

// Without the patch a PostgreSQL restart can kill the worker (uncatchable TypeError) or hang a
// transaction forever; shared/db/transaction-loss.int.test.ts and test/chaos prove the behaviour.
const FILES = Object.entries(HUNKS) as Array<[string, readonly Hunk[]]>;
const installed = (build: string, file: string): string => readFileSync(path.join(REPO_ROOT, 'node_modules', 'postgres', build, file), 'utf8');
/** The upstream text, recovered from the installed (patched) file. */
const unpatch = (text: string, hunks: readonly Hunk[]): string => hunks.reduce((t, h) => t.replace(h.patched, () => h.original), text);
const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('postgres.js patch (postinstall)', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it.each(BUILDS.flatMap((build) => FILES.map(([file]) => [build, file] as const)))('is applied to the installed %s/%s, every hunk exactly once', (build, file) => {
    const text = installed(build, file);
    for (const hunk of HUNKS[file as keyof typeof HUNKS]) expect(count(text, hunk.patched), hunk.name).toBe(1);
  });

  it('patches upstream text to exactly what is installed, and a second run changes nothing', () => {
    for (const [file, hunks] of FILES) {
      const patched = installed('src', file);
      const upstream = unpatch(patched, hunks);
      expect(upstream).not.toContain('freight-patch');
      const once = patchText(upstream, hunks);
      expect(once).toEqual({ text: patched, missing: [] });
      expect(patchText(patched, hunks)).toEqual({ text: patched, missing: [] });
    }
  });

  it('leaves a file whose code differs untouched, says which hunks did not match, and patches the rest', () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'patch-postgres-'));
    const root = scratch;
    const upstream = Object.fromEntries(FILES.map(([file, hunks]) => [file, unpatch(installed('src', file), hunks)]));
    const dir = (build: string): string => path.join(root, 'node_modules', 'postgres', build);
    for (const build of ['src', 'cjs/src']) {
      mkdirSync(dir(build), { recursive: true });
      for (const [file, text] of Object.entries(upstream)) writeFileSync(path.join(dir(build), file), text);
    }
    // A "release" that rewrote begin()'s close handling in the CommonJS build.
    const changed = (upstream['index.js'] ?? '').replace('connection.onclose = reject', 'connection.onclose = (e) => reject(e)');
    writeFileSync(path.join(dir('cjs/src'), 'index.js'), changed);

    const warnings: string[] = [];
    const result = patchPostgres(root, (m) => void warnings.push(m));
    expect(result.failed).toEqual([{ file: path.join(dir('cjs/src'), 'index.js'), hunks: ['transaction close rejects its queue'] }]);
    expect(readFileSync(path.join(dir('cjs/src'), 'index.js'), 'utf8')).toBe(changed);
    expect(result.patched.sort()).toEqual([path.join(dir('cjs/src'), 'connection.js'), path.join(dir('src'), 'connection.js'), path.join(dir('src'), 'index.js')].sort());
    expect(readFileSync(path.join(dir('src'), 'index.js'), 'utf8')).toBe(installed('src', 'index.js'));
    expect(warnings.join('\n')).toMatch(/cjs\/src\/index\.js: not patched \(no match for: transaction close rejects its queue\)/);

    // Idempotent on disk too: a second install run rewrites nothing and warns the same.
    const again = patchPostgres(root, (m) => void warnings.push(m));
    expect(again.failed).toEqual(result.failed);
    expect(readFileSync(path.join(dir('src'), 'connection.js'), 'utf8')).toBe(installed('src', 'connection.js'));
  });

  it('refuses a hunk whose upstream text occurs twice (not the code it was written for)', () => {
    const hunk: Hunk = { name: 'twice', original: 'a()', patched: 'b() // freight-patch' };
    expect(patchText('a()\na()\n', [hunk])).toEqual({ missing: ['twice'] });
  });
});
