import { describe, expect, it } from 'vitest';
import { isDeadLocalWorker, localProcessProbe, newWorkerId } from './worker-id.ts';

const probe = (alive: number[]) => ({ host: 'node-a.example', pid: 42, alive: (pid: number) => alive.includes(pid) });

describe('worker ids', () => {
  it('carry host and pid, and differ between incarnations', () => {
    const a = newWorkerId('node-a.example', 42);
    expect(a).toMatch(/^node-a\.example-42-[0-9a-f]{8}$/);
    expect(newWorkerId('node-a.example', 42)).not.toBe(a);
  });

  it('name a dead process only when it was on this host and its pid is gone or is ours', () => {
    const self = 'node-a.example-42-aaaaaaaa';
    expect(isDeadLocalWorker('node-a.example-7-bbbbbbbb', self, probe([]))).toBe(true);
    expect(isDeadLocalWorker('node-a.example-42-bbbbbbbb', self, probe([42]))).toBe(true);
    expect(isDeadLocalWorker('node-a.example-7-bbbbbbbb', self, probe([7]))).toBe(false);
    expect(isDeadLocalWorker('node-b.example-7-bbbbbbbb', self, probe([]))).toBe(false);
    expect(isDeadLocalWorker(self, self, probe([]))).toBe(false);
    expect(isDeadLocalWorker('something-else', self, probe([]))).toBe(false);
    // A host name with dashes of its own still parses from the right.
    expect(isDeadLocalWorker('node-a.example-7-bbbbbbbb-cccccccc', self, probe([]))).toBe(false);
  });

  it('probe the real process table', () => {
    const real = localProcessProbe();
    expect(real.alive(process.pid)).toBe(true);
    expect(real.alive(2 ** 22 + 12_345)).toBe(false);
  });
});
