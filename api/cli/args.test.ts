import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './args.ts';

describe('CLI arguments', () => {
  it('parses every command', () => {
    expect(parseCommand(['tenant', 'create', '--slug', 'acme', '--name', 'Acme', '--retention-days', '30']).command)
      .toEqual({ kind: 'tenant-create', slug: 'acme', name: 'Acme', retentionDays: 30 });
    expect(parseCommand(['tenant', 'list', '--json'])).toEqual({ command: { kind: 'tenant-list' }, json: true });
    expect(parseCommand(['key', 'create', '--tenant', 'acme', '--role', 'viewer']).command)
      .toEqual({ kind: 'key-create', tenant: 'acme', role: 'viewer', name: undefined, environment: 'live' });
    expect(parseCommand(['key', 'create', '--tenant', 'acme', '--role', 'engineer', '--env', 'test', '--name', 'ci']).command)
      .toMatchObject({ environment: 'test', name: 'ci' });
    expect(parseCommand(['key', 'revoke', 'abc']).command).toEqual({ kind: 'key-revoke', keyId: 'abc' });
    expect(parseCommand(['key', 'list', '--tenant', 'acme']).command).toEqual({ kind: 'key-list', tenant: 'acme' });
    expect(parseCommand([]).command).toEqual({ kind: 'help' });
    expect(parseCommand(['tenant', 'list', '--help']).command).toEqual({ kind: 'help' });
  });

  it('rejects bad usage with a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['tenant', 'create', '--name', 'x'], /--slug/],
      [['tenant', 'create', '--slug', 'a', '--name', 'b', '--retention-days', 'ten'], /retention/],
      [['key', 'create', '--tenant', 'a', '--role', 'admin'], /engineer or viewer/],
      [['key', 'create', '--tenant', 'a', '--role', 'viewer', '--env', 'prod'], /live or test/],
      [['key', 'revoke'], /key id/],
      [['tenant', 'delete'], /unknown command/],
      [['tenant', 'list', '--bogus'], /bogus/],
      [['tenant', 'list', 'extra'], /unexpected/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCommand(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCommand(argv), argv.join(' ')).toThrow(message);
    }
  });
});
