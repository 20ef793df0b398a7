import { Context } from '@temporalio/activity';

/**
 * The running activity's cancellation signal (cancel requested, timed out, or the Worker shutting
 * down past its grace period), read from the activity's async context; undefined when called
 * outside an activity (tests, scripts). Database waits race it: a cancelled activity must give up
 * its wait at once, not whenever PostgreSQL answers.
 */
export function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    // "Activity context not initialized": not inside an activity, nothing to observe.
    return undefined;
  }
}
