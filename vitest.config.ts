// The AWS SDK warns at every start that Node 22 will be required from 2027; known, and noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { defineConfig } from 'vitest/config';

// Two projects: unit tests run anywhere in milliseconds; integration tests get the real Temporal,
// PostgreSQL and S3 servers from the global setup (started by the project's own dev-stack code).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Projects with different worker counts run as separate groups: units first, fast feedback.
          sequence: { groupOrder: 0 },
          include: ['{workflows,activities,api,workers,shared,infra,scripts}/**/*.test.ts', 'test/replay/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts', '**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/setup-integration.ts'],
          // A job test waits up to 240 s for its job (waitForJob): on a 2-core machine shared with other
          // work (a second checkout's demo), a 5,000-record job alone can take two minutes.
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // expect.poll's 1 s default is too short on a busy 2-core machine (a browser page's first
          // fetches alone can take longer); what is polled for still has to happen.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          maxWorkers: 2,
        },
      },
      {
        test: {
          // Restarts Temporal, PostgreSQL and MinIO mid-job: a stack of its own, one file at a time, last.
          name: 'chaos',
          sequence: { groupOrder: 2 },
          include: ['test/chaos/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/chaos/global-setup.ts'],
          setupFiles: ['test/helpers/setup-integration.ts'],
          testTimeout: 360_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 20_000, interval: 100 } },
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
