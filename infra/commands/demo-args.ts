import { parseArgs } from 'node:util';
import { DEFAULT_PAIR_ID } from '../../shared/pairs/index.ts';
import { DEMO_PAIRS } from './demo-pairs.ts';
import { DEFAULT_SANDBOX_SIZE, parseSize } from './sandbox-options.ts';

export interface DemoArgs {
  /** The connector pair to demonstrate (a DEMO_PAIRS id). */
  pair: string;
  /** ≈ records of the generated Affinity account. */
  size: number;
  seed: string;
  /** Attio's and Affinity's real limits in the sandbox (slow: ~25 records/s), instead of none. */
  realLimits: boolean;
  /** The final report as one JSON line, last on stdout; progress goes to stderr. */
  json: boolean;
  batchSize: number | undefined;
  concurrency: number | undefined;
  /** Gives up (and cancels the job) after this long. */
  timeoutMinutes: number;
  /** …or when no record is processed for this long. */
  stallMinutes: number;
  help: boolean;
}

export const DEMO_USAGE = `usage: npm run demo -- [--pair ID] [--size N] [--seed S] [--real-limits] [--json] [--batch-size N] [--concurrency N] [--timeout-minutes M]

  --pair ID            connector pair to demonstrate: ${DEMO_PAIRS.join(', ')} (default ${DEFAULT_PAIR_ID})
  --size N             records in the generated Affinity account (default ${DEFAULT_SANDBOX_SIZE}, or FREIGHT_SANDBOX_SIZE)
  --seed S             seed of the generated account (default "demo", or FREIGHT_SANDBOX_SEED)
  --real-limits        sandbox with the real rate limits (Attio 25 writes/s); default: limits off
  --json               print the final report as one JSON line, last on stdout
  --batch-size N       records per batch (default: the API's, 100)
  --concurrency N      batches in parallel (default: the API's, 4)
  --timeout-minutes M  cancel the job and fail after M minutes (default 30)
  --stall-minutes M    cancel the job and fail when no record is processed for M minutes (default 3)`;

/** Parses `npm run demo` arguments; throws with a usage hint on anything unknown or malformed. */
export function parseDemoArgs(argv: string[], env: Record<string, string | undefined> = {}): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        pair: { type: 'string' },
        size: { type: 'string' },
        seed: { type: 'string' },
        'real-limits': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
        concurrency: { type: 'string' },
        'timeout-minutes': { type: 'string' },
        'stall-minutes': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${DEMO_USAGE}`);
  }
  const pair = values.pair ?? DEFAULT_PAIR_ID;
  if (!DEMO_PAIRS.includes(pair)) throw new Error(`--pair: no demo for "${pair}"; one of ${DEMO_PAIRS.join(', ')}\n${DEMO_USAGE}`);
  const optional = (raw: string | undefined, name: string): number | undefined => (raw === undefined ? undefined : parseSize(raw, name));
  return {
    pair,
    size: parseSize(values.size ?? env.FREIGHT_SANDBOX_SIZE ?? String(DEFAULT_SANDBOX_SIZE), values.size ? '--size' : 'FREIGHT_SANDBOX_SIZE'),
    seed: values.seed ?? (env.FREIGHT_SANDBOX_SEED?.trim() || 'demo'),
    realLimits: values['real-limits'] === true,
    json: values.json === true,
    batchSize: optional(values['batch-size'], '--batch-size'),
    concurrency: optional(values.concurrency, '--concurrency'),
    timeoutMinutes: optional(values['timeout-minutes'], '--timeout-minutes') ?? 30,
    stallMinutes: optional(values['stall-minutes'], '--stall-minutes') ?? 3,
    help: values.help === true,
  };
}
