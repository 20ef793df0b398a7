import type { Logger } from '../shared/logger.ts';

export interface ShutdownStep {
  name: string;
  /** The step's own deadline: past it the next step runs anyway. */
  timeoutMs: number;
  run: () => Promise<unknown> | unknown;
}

/** Longest the steps can take together (their deadlines summed), for a last-resort exit timer. */
export function shutdownBudgetMs(steps: readonly ShutdownStep[]): number {
  return steps.reduce((sum, s) => sum + s.timeoutMs, 0);
}

/**
 * Runs the steps of a process shutdown in order, each bounded by its deadline: a step that fails or
 * hangs (a database that is restarting, a server that does not answer) is logged and left behind,
 * so the whole stop takes at most the sum of the deadlines. Resolves true when every step finished.
 */
export async function runShutdown(steps: readonly ShutdownStep[], logger: Logger): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const overran = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), step.timeoutMs); });
    try {
      const outcome = await Promise.race([Promise.resolve().then(step.run).then(() => 'done' as const), overran]);
      if (outcome === 'timeout') {
        clean = false;
        logger.warn({ step: step.name, timeoutMs: step.timeoutMs }, 'shutdown step overran its deadline; going on without it');
      } else {
        // A slow step is worth seeing in an ordinary log (which step holds a stop up).
        const ms = Date.now() - started;
        logger[ms >= 1_000 ? 'info' : 'debug']({ step: step.name, ms }, 'shutdown step done');
      }
    } catch (err) {
      clean = false;
      logger.warn({ err, step: step.name }, 'shutdown step failed; going on');
    } finally {
      clearTimeout(timer);
    }
  }
  return clean;
}
