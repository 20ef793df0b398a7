import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A worker process's id: `<host>-<pid>-<random>`. The host and pid let a process restarted on the same
 * host recognise its dead predecessor's namespace leases and take them over at once, instead of waiting
 * out their TTL while the stranded jobs sit still; the random part tells two incarnations with one pid apart.
 */
export function newWorkerId(host = hostname(), pid = process.pid): string {
  return `${host}-${pid}-${randomUUID().slice(0, 8)}`;
}

export interface LocalProcessProbe {
  host: string;
  pid: number;
  /** Whether a process with this pid runs on this host (signal 0). */
  alive(pid: number): boolean;
}

export const localProcessProbe = (): LocalProcessProbe => ({
  host: hostname(),
  pid: process.pid,
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to someone else: alive as far as we can tell.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
});

/**
 * True only when `workerId` certainly names a dead process: one of this host whose pid no longer runs,
 * or that had this process's own pid (a previous incarnation: two live processes never share a pid on
 * one host). Anything else — another host, an id of another shape, a pid in use — is left to the TTL.
 */
export function isDeadLocalWorker(workerId: string, self: string, probe: LocalProcessProbe): boolean {
  if (workerId === self) return false;
  const match = /^(.+)-(\d+)-([0-9a-f]{8})$/.exec(workerId);
  if (!match || match[1] !== probe.host) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  return pid === probe.pid || !probe.alive(pid);
}
