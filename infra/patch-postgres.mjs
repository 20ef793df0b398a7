#!/usr/bin/env node
// Run by `npm install` (package.json "postinstall"). Plain JavaScript, no dependencies.
//
// postgres.js 3.4.x defers small writes to a setImmediate; when PostgreSQL goes away (a restart,
// a failover) the connection's socket can be null by the time that callback runs, and
// `socket.write` then throws a TypeError from the timer: uncatchable, it kills the whole process
// (porsager/postgres#1154, #1208; fixes proposed upstream in #1168, #1176 and #1209, unreleased).
// Freight's worker and API must ride out a database restart, so until a release carries the fix
// this guards nextWrite the way #1209 does: drop the buffered bytes and fail the pending queries
// with a catchable CONNECTION_CLOSED (the pool reconnects; activities retry).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = 'freight-patch: null socket guard';
/** Each hunk: the upstream text, and its replacement (which carries the marker, so a second run is a no-op). */
const HUNKS = [
  {
    // The crash: nextWrite running after closed() nulled the socket.
    original: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    patched: `  function nextWrite(fn) {
    if (!socket) { // ${MARKER}
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
  },
  {
    // closed() cancels the pending write but leaves the timer handle set and the bytes buffered:
    // write() would then never schedule again and the reconnected connection would hang.
    original: '    clearImmediate(nextWriteTimer)\n    socket.removeListener(\'data\', data)',
    patched: `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${MARKER} (stale timer)
    socket.removeListener('data', data)`,
  },
];

/** Patches every build of postgres.js under `root`; returns the files it changed or found patched. */
export function patchPostgres(root) {
  const done = [];
  for (const build of ['src', 'cjs/src', 'cf/src']) {
    const file = path.join(root, 'node_modules', 'postgres', build, 'connection.js');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const hunk of HUNKS) {
      if (text.includes(hunk.patched)) continue;
      if (!text.includes(hunk.original)) {
        // A release that changed this code (perhaps fixed it upstream): leave it, say so.
        console.error(`[postinstall] postgres.js ${build}/connection.js differs from 3.4.9 here; not patched (check porsager/postgres#1208)`);
        continue;
      }
      text = text.replace(hunk.original, hunk.patched);
    }
    writeFileSync(file, text);
    done.push(file);
  }
  return done;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  patchPostgres(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
