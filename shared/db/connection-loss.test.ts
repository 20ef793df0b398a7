import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { isConnectionLoss, survivePostgresRestarts } from './connection-loss.ts';

describe('surviving a PostgreSQL restart', () => {
  const loss = Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });

  it('tells a lost connection from a failed query', () => {
    expect(isConnectionLoss(loss)).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionLoss('CONNECTION_CLOSED')).toBe(false);
  });

  it('keeps the process for a lost connection nobody awaited, and exits for anything else', async () => {
    const emitter = new EventEmitter();
    const proc = Object.assign(emitter, { exit: vi.fn() }) as unknown as NodeJS.Process;
    const lines: string[] = [];
    survivePostgresRestarts(createLogger({ level: 'info', name: 't', destination: { write: (l: string) => void lines.push(l) } }), proc);
    emitter.emit('unhandledRejection', loss);
    await new Promise((r) => setImmediate(r));
    expect(proc.exit).not.toHaveBeenCalled();
    expect(lines.join('')).toContain('database connection lost');
    emitter.emit('unhandledRejection', new Error('a bug'));
    await new Promise((r) => setImmediate(r));
    expect(proc.exit).toHaveBeenCalledWith(1);
  });
});
