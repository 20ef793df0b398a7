#!/usr/bin/env node
// Entry of `npm start`, `npm run demo`, `npm test` and `npm run stack`. Plain JavaScript with no dependencies,
// because it is what runs on a fresh clone before node_modules exists: it installs the npm
// dependencies when they are missing or stale, then hands over to the TypeScript command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Freight needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(path.join(root, file), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Installs when node_modules is missing, lacks a package that package.json names, or holds another
 * version than the lock file pins. By content, not by modification time: a checkout or a worktree that
 * only touches package-lock.json must not reinstall (npm install rewrites node_modules under every
 * process using it, including through a symlinked node_modules). Optional packages npm skipped for
 * this platform (e.g. @swc/core-darwin-*) are absent from the installed list and are not "stale".
 */
function dependenciesStale() {
  const installed = readJson('node_modules/.package-lock.json')?.packages;
  const locked = readJson('package-lock.json')?.packages;
  const pkg = readJson('package.json');
  if (!installed || !locked || !pkg) return true;
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  if (names.some((name) => !existsSync(path.join(root, 'node_modules', name, 'package.json')))) return true;
  return Object.entries(locked).some(([key, entry]) => {
    if (key === '' || entry.link) return false;
    const have = installed[key];
    if (!have) return entry.optional !== true && entry.devOptional !== true && entry.peer !== true;
    return have.version !== entry.version;
  });
}

function ensureDependencies() {
  if (!dependenciesStale()) return;
  // `npm install` honours the lock file's versions. Not `npm ci`: npm 11 drops other platforms'
  // optional packages (e.g. @swc/core-darwin-*) from the lock it writes, then `npm ci` refuses it.
  const args = ['install', '--no-audit', '--no-fund'];
  console.error('[freight] installing npm dependencies (npm install) ...');
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[freight] npm install failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

const commands = {
  start: 'infra/commands/start.ts',
  demo: 'infra/commands/demo.ts',
  test: 'infra/commands/test.ts',
  stack: 'infra/dev-stack/cli.ts',
  bench: 'bench/main.ts',
  fuzz: 'infra/commands/fuzz.ts',
};

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * This process and the npm (and its `sh -c`) that launched it: the stack's reaper treats the death of
 * any of them as "the command was killed" and stops what the command started (infra/dev-stack/guard.ts).
 */
function ownerPids() {
  const pids = [process.pid];
  if (!process.env.npm_lifecycle_event) return pids;
  let pid = process.ppid;
  for (let depth = 0; depth < 2 && pid > 1; depth++) {
    const cmdline = readProc(pid, 'cmdline').replaceAll('\0', ' ');
    if (!/\bnpm\b|npm-cli|bootstrap\.mjs/.test(cmdline)) break;
    pids.push(pid);
    const stat = readProc(pid, 'stat');
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return pids;
}

const [command, ...rest] = process.argv.slice(2);
const script = commands[command];
if (!script) {
  console.error(`usage: node infra/bootstrap.mjs ${Object.keys(commands).join('|')} [args]`);
  process.exit(2);
}
ensureDependencies();
// `node --import tsx` rather than the tsx CLI: the CLI would sit in between and SIGKILL the command
// when a relayed Ctrl-C is not acknowledged within 30 ms, cutting its clean-up short.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...rest], {
  cwd: root,
  stdio: 'inherit',
  // The AWS SDK warns on every process start that Node 22 will be needed from 2027; we know.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, FREIGHT_OWNER_PIDS: ownerPids().join(',') },
});
// The terminal delivers Ctrl-C to the child as well (the commands' handlers run once); forwarding
// covers signals sent to this process alone (a process manager, `timeout`). Then we wait for the clean-up.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
