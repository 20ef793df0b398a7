import { z } from 'zod';
import { createRng } from './prng.ts';

/**
 * Fault injection shared by both sandboxes. Decisions come from a seeded stream, so a run with the same
 * request order sees the same faults; rates are probabilities per request in [0, 1].
 */
export const FaultConfigSchema = z.object({
  /** Seed of the decision stream; changing it restarts the stream. */
  seed: z.number().int().default(1),
  /** Share of requests answered 429 before any processing (on top of the real rate limits). */
  rate429: z.number().min(0).max(1).default(0),
  /** The wait an injected 429 asks for (Retry-After), in seconds; 0 = the API's usual one second. */
  retryAfterSec: z.number().int().min(0).max(600).default(0),
  /** Share of requests answered with one of statuses5xx, before any processing. */
  rate5xx: z.number().min(0).max(1).default(0),
  statuses5xx: z.array(z.number().int().min(500).max(599)).min(1).default([500, 502, 503]),
  /** Share of requests whose socket is destroyed before processing (nothing applied). */
  resetRate: z.number().min(0).max(1).default(0),
  /** Share of requests processed (writes applied) whose socket is then destroyed instead of answered. */
  resetAfterRate: z.number().min(0).max(1).default(0),
  /** Fixed delay before every request, in ms (up to two minutes: real pages can take over one). */
  latencyMs: z.number().min(0).max(120_000).default(0),
  /** Extra uniform random delay in [0, jitterMs]. */
  jitterMs: z.number().min(0).max(60_000).default(0),
});

export type FaultConfig = z.infer<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

export type FaultAction = { kind: 'none' } | { kind: 'reset' } | { kind: 'status'; status: number };

export interface FaultDecision {
  delayMs: number;
  action: FaultAction;
  /** Process the request, then destroy the socket instead of answering. */
  resetAfter: boolean;
}

export interface FaultInjector {
  config(): FaultConfig;
  /** Merges a partial config (validated); returns the new config. */
  update(patch: unknown): FaultConfig;
  /** Replaces the config (missing keys take defaults). */
  replace(next: unknown): FaultConfig;
  decide(): FaultDecision;
  /** True when no fault can fire: lets the hot path skip the decision entirely. */
  idle(): boolean;
}

const NONE: FaultDecision = { delayMs: 0, action: { kind: 'none' }, resetAfter: false };

export function createFaultInjector(initial: FaultConfigInput = {}): FaultInjector {
  let config = FaultConfigSchema.parse(initial);
  let rng = createRng(config.seed, 0xfa17);
  let idle = computeIdle(config);

  const set = (next: FaultConfig): FaultConfig => {
    if (next.seed !== config.seed) rng = createRng(next.seed, 0xfa17);
    config = next;
    idle = computeIdle(config);
    return config;
  };

  return {
    config: () => config,
    update: (patch) => set(FaultConfigSchema.parse({ ...config, ...(patch as object) })),
    replace: (next) => set(FaultConfigSchema.parse(next ?? {})),
    idle: () => idle,
    decide() {
      if (idle) return NONE;
      const delayMs = config.latencyMs + (config.jitterMs > 0 ? rng.next() * config.jitterMs : 0);
      // One draw per fault kind keeps each rate independent of the others' settings.
      const resetDraw = rng.next();
      const draw429 = rng.next();
      const draw5xx = rng.next();
      const resetAfterDraw = rng.next();
      let action: FaultAction = { kind: 'none' };
      if (resetDraw < config.resetRate) action = { kind: 'reset' };
      else if (draw429 < config.rate429) action = { kind: 'status', status: 429 };
      else if (draw5xx < config.rate5xx) action = { kind: 'status', status: rng.pick(config.statuses5xx) };
      return { delayMs, action, resetAfter: action.kind === 'none' && resetAfterDraw < config.resetAfterRate };
    },
  };
}

function computeIdle(config: FaultConfig): boolean {
  return config.rate429 === 0 && config.rate5xx === 0 && config.resetRate === 0 && config.resetAfterRate === 0
    && config.latencyMs === 0 && config.jitterMs === 0;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
