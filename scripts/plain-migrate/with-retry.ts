import { isConnectorError } from '../../activities/connectors/connector-error.ts';
import { sleep } from '../../activities/connectors/http/sleep.ts';

/**
 * The script's stand-in for Temporal's retry policy: retryable connector errors (transient,
 * rate_limited) are retried with exponential backoff, honouring retryAfterMs; anything else is
 * thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: { attempts?: number; onRetry?: (error: unknown, attempt: number) => void } = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isConnectorError(error) || !error.retryable || attempt >= attempts) throw error;
      options.onRetry?.(error, attempt);
      await sleep(error.retryAfterMs ?? Math.min(10_000, 250 * 2 ** attempt));
    }
  }
}
