import type { JobResult, MigrationJobInput } from '../migration-job/definitions.ts';
import { migrationJob } from '../migration-job/workflow.ts';

/**
 * An undo job (issue 17): the migration job's orchestration as it is — batches per object kind in
 * the order given (the original job's phases reversed), the same bounded window, retries, signals,
 * record log, continue-as-new and report. What differs is the runtime its activities build for an
 * undo job (activities/jobs/undo/undo-runtime.ts). Its own workflow type keeps the two apart in
 * Temporal's tools; continue-as-new keeps the type.
 */
export async function undoJob(input: MigrationJobInput): Promise<JobResult> {
  return migrationJob(input);
}
