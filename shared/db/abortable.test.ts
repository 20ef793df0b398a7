import { describe, expect, it } from 'vitest';
import { abortable } from './abortable.ts';

describe('abortable', () => {
  it('passes the outcome through while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no');
    await expect(abortable(Promise.resolve(1), undefined)).resolves.toBe(1);
  });

  it('rejects with the reason at once when aborted, and takes care of the abandoned rejection', async () => {
    const controller = new AbortController();
    let fail: (err: Error) => void = () => undefined;
    const never = new Promise<number>((_, reject) => { fail = reject; });
    const raced = abortable(never, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(raced).rejects.toThrow('cancelled');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('rejects a call made with a signal already aborted', async () => {
    await expect(abortable(Promise.resolve(1), AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
