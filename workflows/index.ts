// Barrel of every workflow the worker serves (this file is the bundle's workflowsPath).
// Workflows are pure orchestration: see eslint.config.js for what they may import.
export { migrationJob } from './migration-job/workflow.ts';
export { webhookDelivery } from './webhook-delivery/workflow.ts';
export { undoJob } from './undo-job/workflow.ts';
export { reconcileJob } from './reconcile-job/workflow.ts';
export { deltaScheduleTick } from './delta-schedule/workflow.ts';
