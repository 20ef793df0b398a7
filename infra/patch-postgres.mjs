#!/usr/bin/env node
// Run by `npm install` (package.json "postinstall"). Plain JavaScript, no dependencies.
//
// postgres.js 3.4.9 mishandles a connection that PostgreSQL drops (a restart, a failover,
// pg_terminate_backend, idle_in_transaction_session_timeout). Freight's worker and API must ride
// that out, so until a release carries upstream's fixes (all open, unreleased) this patches every
// build of the package in place:
//  - a deferred write to a socket that is gone throws an uncatchable TypeError from a timer and kills
//    the process (porsager/postgres#1154, #1208; as #1209 fixes it);
//  - a transaction whose connection closes leaves its queued queries pending forever, and its later
//    queries (commit and rollback included) run on the reconnected connection, outside any
//    transaction (#1186, #1216, #1155; in the spirit of #1215);
//  - BEGIN written as the query that fills the pipeline never reserves its connection: the pool hands
//    out a connection that is "idle in transaction" and the transaction's queue never drains (#1189,
//    as #1218 fixes it); a socket 'drain' can likewise hand a reserved connection to the pool (#1207);
//  - a dropped connection keeps its last query and error: end() then waits for its whole timeout and
//    the first query after a reconnect fails with the old backend's error (#1142).
// Each hunk replaces exact upstream text. A file is patched whole or not at all: if any hunk's text
// is missing (a release changed that code), the file is left as it is and the install says so loudly
// (infra/patch-postgres.test.ts then fails, so CI notices).
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILDS = ['src', 'cjs/src', 'cf/src'];

/** Per file: each hunk's upstream text and its replacement (which carries a `freight-patch:` marker). */
export const HUNKS = {
  'connection.js': [
    {
      name: 'null socket guard',
      // The crash: nextWrite running after closed() nulled the socket.
      original: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
      patched: `  function nextWrite(fn) {
    if (!socket) { // freight-patch: null socket guard
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
    },
    {
      name: 'stale write timer',
      // closed() cancels the pending write but leaves the timer handle set and the bytes buffered:
      // write() would then never schedule again and the reconnected connection would hang.
      original: '    clearImmediate(nextWriteTimer)\n    socket.removeListener(\'data\', data)',
      patched: `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // freight-patch: null socket guard (stale timer)
    socket.removeListener('data', data)`,
    },
    {
      name: 'reserve on BEGIN',
      // onexecute (begin()'s reservation) sat behind `sent.length < max_pipeline` and was skipped
      // when BEGIN filled the pipeline. A query with onexecute still answers "not ready" (as before),
      // so nothing else is pipelined behind BEGIN.
      original: `      build(q)
      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`,
      patched: `      build(q)
      const written = write(toBuffer(q))
      if (q.options.onexecute) { // freight-patch: reserve on BEGIN
        // Its bytes are on their way: the connection is the transaction's, whatever the pipeline
        // holds. A socket already gone keeps the connection in the pool's closed queue.
        socket && q.options.onexecute(connection)
        return false
      }
      return written
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline`,
    },
    {
      name: 'reserved drain',
      // A reserved connection resumes on ReadyForQuery; handing it to the pool would run other
      // queries inside its transaction.
      original: '  function drain() {\n    !query && onopen(connection)',
      patched: '  function drain() {\n    !query && !connection.reserved && onopen(connection) // freight-patch: reserved drain',
    },
    {
      name: 'forget the lost backend',
      // Everything in flight was rejected just above; what remains belongs to a backend that is gone.
      original: `    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    closedTime = performance.now()`,
      patched: `    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    query = results = errorResponse = null // freight-patch: forget the lost backend
    result = new Result()
    rows = 0
    ended && (ended(), ended = null)
    closedTime = performance.now()`,
    },
  ],
  'index.js': [
    {
      name: 'transaction close state',
      original: '    let savepoints = 0\n      , connection\n      , prepare = null\n',
      patched: '    let savepoints = 0\n      , connection\n      , prepare = null\n      , closedError = null // freight-patch: transaction close\n',
    },
    {
      name: 'transaction close rejects its queue',
      // The connection is gone with the transaction: its queued queries can never run.
      original: '        new Promise((_, reject) => connection.onclose = reject)\n',
      patched: `        new Promise((_, reject) => connection.onclose = (e) => { // freight-patch: transaction close
          closedError = e
          while (queries.length)
            queries.shift().reject(e)
          reject(e)
        })
`,
    },
    {
      name: 'transaction close rejects later queries',
      // After the close the connection may be reconnected for other work: a query of this
      // transaction (its commit or rollback included) would run there, outside any transaction.
      original: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
        c.queue === full`,
      patched: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
        if (closedError) // freight-patch: transaction close
          return q.reject(closedError)
        c.queue === full`,
    },
  ],
};

/**
 * Patches `text` (one file of postgres.js) with `hunks`. Returns the new text, or the names of the
 * hunks whose upstream text was not found (then nothing is changed).
 */
export function patchText(text, hunks) {
  // Exactly one place to patch, or the code is not the code this was written for.
  const once = (needle) => text.split(needle).length === 2;
  const missing = hunks.filter((h) => !once(h.patched) && !once(h.original)).map((h) => h.name);
  if (missing.length > 0) return { missing };
  let out = text;
  for (const h of hunks) if (!out.includes(h.patched)) out = out.replace(h.original, () => h.patched);
  return { text: out, missing: [] };
}

/**
 * Patches every build of postgres.js under `root`. Returns the files now patched and the files left
 * unpatched because their code differs from 3.4.9 (with the hunks that did not match).
 */
export function patchPostgres(root, warn = (message) => console.error(message)) {
  const patched = [];
  const failed = [];
  for (const build of BUILDS) {
    for (const [name, hunks] of Object.entries(HUNKS)) {
      const file = path.join(root, 'node_modules', 'postgres', build, name);
      if (!existsSync(file)) continue;
      const before = readFileSync(file, 'utf8');
      const result = patchText(before, hunks);
      if (result.missing.length > 0) {
        failed.push({ file, hunks: result.missing });
        continue;
      }
      if (result.text !== before) writeFileSync(file, result.text);
      patched.push(file);
    }
  }
  if (failed.length > 0) {
    // Loud, but the install goes on: an unpatched driver still works until PostgreSQL drops a connection.
    warn([
      '',
      '!!! [postinstall] postgres.js differs from the 3.4.9 code infra/patch-postgres.mjs patches.',
      ...failed.map((f) => `!!!   ${path.relative(root, f.file)}: not patched (no match for: ${f.hunks.join(', ')})`),
      '!!! Those files are left untouched. Check whether this release fixes porsager/postgres#1186, #1189, #1208',
      '!!! and update or retire the patch; until then a PostgreSQL restart can hang or crash Freight.',
      '',
    ].join('\n'));
  }
  return { patched, failed };
}

// Compared as paths, not as a hand-built URL: a checkout path with a space is `%20` in import.meta.url.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  patchPostgres(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
