import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { linkLines } from '../../activities/pairs/affinity-attio/verification/link-lines.ts';
import type { KindSummary } from './record-log.ts';
import type { MigrationResult } from './run-migration.ts';

type Print = (line?: string) => void;

type ServerStats = { requests: number; writes: number; reads: number; rateLimited: number };

export function printRun(print: Print, run: number, result: MigrationResult, server?: ServerStats, source?: ServerStats): void {
  print();
  print(`run ${run}: ${result.seconds.toFixed(1)} s, ${result.schemaCreated} schema objects created`);
  print('  kind            read  created  updated  unchanged  skipped  failed  warned  retries   rec/s');
  let total = 0;
  for (const [kind, s] of Object.entries(result.kinds) as Array<[string, KindSummary]>) {
    total += s.read;
    const rate = s.seconds > 0 ? (s.read / s.seconds).toFixed(0) : '-';
    print(`  ${kind.padEnd(14)}${pad(s.read, 6)}${pad(s.created, 9)}${pad(s.updated, 9)}${pad(s.unchanged, 11)}${pad(s.skipped, 9)}${pad(s.failed, 8)}${pad(s.withWarnings, 8)}${pad(s.retries, 9)}${rate.padStart(8)}`);
    const kinds = Object.entries(s.byErrorKind).map(([k, n]) => `${k} ${n}`).join(', ');
    if (kinds) print(`  ${''.padEnd(14)}  by error kind: ${kinds}`);
  }
  print(`  total ${total} records in ${result.seconds.toFixed(1)} s = ${(total / result.seconds).toFixed(0)} records/s (${((total / result.seconds) * 60).toFixed(0)} records/min)`);
  if (server) print(`  attio sandbox so far: ${server.writes} writes, ${server.reads} reads, ${server.rateLimited} answered 429`);
  if (source) print(`  affinity sandbox so far: ${source.requests} requests, ${source.rateLimited} answered 429`);
}

export function printVerification(print: Print, run: number, report: VerificationReport, seconds: number): void {
  const rows = Object.entries(report.target.records).map(([o, n]) => `${o} ${n}`).join(', ');
  print(`verification after run ${run} (${seconds.toFixed(1)} s): ${report.ok ? 'OK' : 'DIFFERENCES FOUND'} — Attio holds ${rows}, ${report.target.entries} list entries, ${report.target.notes} notes`);
  print('  kind          expected  present  missing  logged-absent  duplicates  unexpected  mismatches');
  for (const [kind, k] of Object.entries(report.kinds)) {
    print(`  ${kind.padEnd(12)}${pad(k.expected, 10)}${pad(k.present, 9)}${pad(k.missing, 9)}${pad(k.absentAsLogged, 15)}${pad(k.duplicates, 12)}${pad(k.unexpected, 12)}${pad(k.mismatches, 12)}`);
    for (const e of k.examples) print(`      e.g. ${e}`);
  }
  print(`  references: ${report.references.checked} checked, ${report.references.dangling} dangling`);
  for (const line of linkLines(report)) print(line);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}
