import type { TestProject } from 'vitest/node';
import { downStack } from '../../infra/dev-stack/stack.ts';
import { setupTestStack } from '../helpers/global-setup.ts';

/**
 * The chaos suite's servers: the integration setup on a stack named `chaos` (FREIGHT_CHAOS_STACK to
 * override), never the shared `test` stack, since these tests stop and restart the servers.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = process.env.FREIGHT_CHAOS_STACK ?? 'chaos';
  const teardown = await setupTestStack(project, name);
  return async () => {
    await teardown();
    // The suite restarted servers (new pids in the stack's state): stop whatever runs, not only what setup started.
    if (process.env.FREIGHT_KEEP_TEST_STACK !== '1') await downStack(name);
  };
}
