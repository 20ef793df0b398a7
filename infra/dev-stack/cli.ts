import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { downStack, upStack, type ServiceName } from './stack.ts';

/** `npm run stack -- up|down|env`: manage the dev (or `--name test`) stack by hand. */
async function main(argv: string[]): Promise<void> {
  const [command = 'up', ...rest] = argv;
  const nameIdx = rest.indexOf('--name');
  const name = nameIdx >= 0 ? (rest[nameIdx + 1] ?? 'dev') : 'dev';
  const log = (m: string): void => console.error(`[stack] ${m}`);
  if (command === 'up' || command === 'env') {
    const stack = await upStack({ name, log, ports: name === 'dev' ? DEV_PORTS : {} });
    if (command === 'env') for (const [k, v] of Object.entries(stack.env)) console.log(`export ${k}='${v}'`);
    else log(`stack "${name}" is up (data in ${stack.dir}); \`npm run stack -- down\` stops it`);
    return;
  }
  if (command === 'down') {
    const only = rest.filter((a) => ['temporal', 'postgres', 'minio'].includes(a)) as ServiceName[];
    const stopped = await downStack(name, only.length ? only : undefined);
    log(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
    return;
  }
  throw new Error(`unknown command "${command}" (use up, down or env)`);
}

export const DEV_PORTS = { temporal: 7233, temporalUi: 8233, postgres: 55432, minio: 9000, minioConsole: 9001 };

// Compared as paths, not as a hand-built URL: a checkout path with a space is `%20` in import.meta.url.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`[stack] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
