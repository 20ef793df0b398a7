import { afterAll } from 'vitest';
import { closeTestContext } from './stack.ts';

// Every integration file shares one set of real clients; close them so the worker exits promptly.
afterAll(async () => {
  await closeTestContext();
});
