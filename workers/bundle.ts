import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../shared/logger.ts';

export const WORKFLOWS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'workflows', 'index.ts');

/**
 * Bundles the workflow code once per process; every per-namespace Worker reuses the same bundle,
 * so adding a tenant costs a poller, not a webpack run.
 */
export async function buildWorkflowBundle(logger: Logger): Promise<WorkflowBundleWithSourceMap> {
  const started = Date.now();
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m, meta) => logger.warn(meta ?? {}, m), error: (m, meta) => logger.error(meta ?? {}, m), log: () => undefined },
  });
  logger.info({ ms: Date.now() - started, bytes: bundle.code.length }, 'workflow bundle built');
  return bundle;
}
