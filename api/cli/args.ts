import { parseArgs } from 'node:util';

export const USAGE = `Usage:
  freight tenant create --slug SLUG --name NAME [--retention-days DAYS]
  freight tenant list
  freight key create --tenant SLUG|ID --role engineer|viewer [--name NAME] [--env live|test]
  freight key list --tenant SLUG|ID
  freight key revoke KEY_ID

Options:
  --json    print JSON instead of text
  --help    show this help

Configuration comes from the environment (DATABASE_URL, TEMPORAL_ADDRESS, ...), as for the API.
Without DATABASE_URL it is read from the dev stack \`npm start\` runs (FREIGHT_STACK=NAME: another stack);
variables that are set still win.
Exit codes: 0 success, 1 failure, 2 usage error.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command =
  | { kind: 'help' }
  | { kind: 'tenant-create'; slug: string; name: string; retentionDays?: number | undefined }
  | { kind: 'tenant-list' }
  | { kind: 'key-create'; tenant: string; role: 'engineer' | 'viewer'; name?: string | undefined; environment: 'live' | 'test' }
  | { kind: 'key-list'; tenant: string }
  | { kind: 'key-revoke'; keyId: string };

export interface ParsedCommand {
  command: Command;
  json: boolean;
}

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  'retention-days': { type: 'string' },
  tenant: { type: 'string' },
  role: { type: 'string' },
  env: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`missing --${flag}`);
  return value;
}

function noExtraPositionals(positionals: string[], expected: number): void {
  if (positionals.length > expected) throw new UsageError(`unexpected argument: ${positionals[expected]}`);
}

/** Turns argv (without node and script) into a command, or throws UsageError. */
export function parseCommand(argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals: p } = parsed;
  const json = v.json === true;
  if (v.help || p.length === 0 || p[0] === 'help') return { command: { kind: 'help' }, json };
  const [resource, action] = p;
  const what = `${resource} ${action ?? ''}`.trim();
  switch (what) {
    case 'tenant create': {
      noExtraPositionals(p, 2);
      const days = v['retention-days'];
      if (days !== undefined && !/^\d+$/.test(days)) throw new UsageError('--retention-days must be a whole number of days');
      return { command: { kind: 'tenant-create', slug: required(v.slug, 'slug'), name: required(v.name, 'name'), retentionDays: days === undefined ? undefined : Number(days) }, json };
    }
    case 'tenant list':
      noExtraPositionals(p, 2);
      return { command: { kind: 'tenant-list' }, json };
    case 'key create': {
      noExtraPositionals(p, 2);
      const role = required(v.role, 'role');
      if (role !== 'engineer' && role !== 'viewer') throw new UsageError('--role must be engineer or viewer');
      const environment = v.env ?? 'live';
      if (environment !== 'live' && environment !== 'test') throw new UsageError('--env must be live or test');
      return { command: { kind: 'key-create', tenant: required(v.tenant, 'tenant'), role, name: v.name, environment }, json };
    }
    case 'key list':
      noExtraPositionals(p, 2);
      return { command: { kind: 'key-list', tenant: required(v.tenant, 'tenant') }, json };
    case 'key revoke': {
      noExtraPositionals(p, 3);
      return { command: { kind: 'key-revoke', keyId: required(p[2], 'key id (freight key revoke KEY_ID)') }, json };
    }
    default:
      throw new UsageError(`unknown command: ${what}`);
  }
}
