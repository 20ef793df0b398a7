import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './dev-stack/paths.ts';

describe('postgres.js null-socket patch (postinstall)', () => {
  // Without it a PostgreSQL restart can kill the worker with an uncatchable TypeError (test/chaos proves the restart).
  it.each(['src', 'cjs/src'])('is applied to the installed %s build', (build) => {
    const text = readFileSync(path.join(REPO_ROOT, 'node_modules', 'postgres', build, 'connection.js'), 'utf8');
    expect(text.match(/freight-patch: null socket guard/g)).toHaveLength(2);
  });
});
