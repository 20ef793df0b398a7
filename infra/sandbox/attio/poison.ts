import { z } from 'zod';
import { POISON_MARKER } from '../generator/index.ts';
import { AttioApiError } from './errors.ts';

/**
 * Poison switch: while enabled, any record/entry/note write whose payload contains one of the markers
 * (anywhere, at any depth) is refused with 400 validation_type, before anything is applied. Turning it
 * off at runtime lets a retry of the same payload succeed.
 */
export const PoisonConfigSchema = z.object({
  enabled: z.boolean().default(true),
  markers: z.array(z.string().min(1)).default([POISON_MARKER]),
});
export type PoisonConfig = z.infer<typeof PoisonConfigSchema>;
export type PoisonConfigInput = z.input<typeof PoisonConfigSchema>;

export interface PoisonGuard {
  config(): PoisonConfig;
  update(patch: unknown): PoisonConfig;
  replace(next: unknown): PoisonConfig;
  /** Throws the poison error when the payload is poisoned. */
  check(payload: unknown): void;
}

function findMarker(value: unknown, markers: readonly string[], depth: number): string | undefined {
  if (typeof value === 'string') return markers.find((m) => value.includes(m));
  if (depth > 12 || typeof value !== 'object' || value === null) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const hit = findMarker(item, markers, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

export function createPoisonGuard(initial: PoisonConfigInput = {}): PoisonGuard {
  let config = PoisonConfigSchema.parse(initial);
  return {
    config: () => config,
    update: (patch) => (config = PoisonConfigSchema.parse({ ...config, ...(patch as object) })),
    replace: (next) => (config = PoisonConfigSchema.parse(next ?? {})),
    check(payload) {
      if (!config.enabled || config.markers.length === 0) return;
      const marker = findMarker(payload, config.markers, 0);
      if (marker !== undefined) {
        throw new AttioApiError(400, 'validation_type', `Value rejected by sandbox poison rule (contains "${marker}")`, 'invalid_request_error', true);
      }
    },
  };
}
