/**
 * `promise`, or the signal's reason as soon as `signal` aborts, whichever comes first. The promise
 * itself runs on (nothing here can stop it); its later outcome is observed, so an abandoned
 * rejection is not reported as unhandled.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
