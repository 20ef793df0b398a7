#!/usr/bin/env node
// The `freight` command: runs the TypeScript CLI through tsx, both resolved relative to this
// package, so it works from any working directory (npx freight, npm link, a global install).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const entry = fileURLToPath(new URL('../api/cli/main.ts', import.meta.url));

const child = spawn(process.execPath, [tsxCli, entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
child.on('error', (err) => {
  console.error(`freight: could not start the CLI: ${err.message}`);
  process.exit(1);
});
