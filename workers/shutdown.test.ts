import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.ts';
import { runShutdown, shutdownBudgetMs, type ShutdownStep } from './shutdown.ts';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', name: 't', destination: { write: (l: string) => void lines.push(l) } }) };
}

describe('runShutdown', () => {
  it('runs every step in order', async () => {
    const { logger } = capture();
    const order: string[] = [];
    const steps: ShutdownStep[] = ['a', 'b', 'c'].map((name) => ({ name, timeoutMs: 1_000, run: () => void order.push(name) }));
    expect(await runShutdown(steps, logger)).toBe(true);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(shutdownBudgetMs(steps)).toBe(3_000);
  });

  it('leaves a hanging or failing step behind at its deadline and goes on', async () => {
    const { logger, lines } = capture();
    const ran: string[] = [];
    const started = Date.now();
    const clean = await runShutdown([
      { name: 'hangs', timeoutMs: 50, run: () => new Promise(() => undefined) },
      { name: 'throws', timeoutMs: 50, run: () => { throw new Error('boom'); } },
      { name: 'rejects', timeoutMs: 50, run: () => Promise.reject(new Error('no')) },
      { name: 'last', timeoutMs: 50, run: () => void ran.push('last') },
    ], logger);
    expect(clean).toBe(false);
    expect(ran).toEqual(['last']);
    expect(Date.now() - started).toBeLessThan(1_000);
    const text = lines.join('');
    expect(text).toContain('overran its deadline');
    expect(text).toContain('"step":"throws"');
    expect(text).toContain('"step":"rejects"');
  });
});
