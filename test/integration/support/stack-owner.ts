/**
 * A stand-in for `npm start` in the dev-stack tests: brings up a guarded stack (FREIGHT_DATA_DIR
 * from the environment, name from argv), says "up" on stdout and waits to be killed.
 */
import { upStack } from '../../../infra/dev-stack/stack.ts';

const name = process.argv[2] ?? 'owned';
await upStack({ name, guard: true, log: (m) => process.stderr.write(`${m}\n`) });
process.stdout.write('up\n');
setInterval(() => undefined, 60_000);
