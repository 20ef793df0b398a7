import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The error kind (ApplicationFailure type set by the activities) and message behind an activity failure. */
export function describeFailure(err: unknown): { kind: string; message: string } {
  const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
  return { kind: cause?.type ?? 'unknown', message: cause?.message ?? String(err) };
}
