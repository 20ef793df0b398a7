import type { ConnectorError } from './connector-error.ts';

/** Resolves to the error a promise rejects with; fails the test if it resolves. */
export function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as ConnectorError,
  );
}
