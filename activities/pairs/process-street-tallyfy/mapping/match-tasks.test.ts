import { describe, expect, it } from 'vitest';
import type { PsTemplateTask } from '../contract.ts';
import { matchRunTasks } from './match-tasks.ts';
import { runTask } from './test-fixtures.ts';

const tt = (id: string, name: string, position: number): PsTemplateTask => ({ id, name, position, taskType: 'Standard', stopTask: false, hiddenByDefault: false });
const template = [tt('A', 'Intake', 0), tt('B', 'Review', 1), tt('C', 'Sign off', 2), tt('D', 'Archive', 3)];

function pairsOf(runNames: string[]): { pairs: string[]; extra: string[]; missing: string[] } {
  const m = matchRunTasks(runNames.map((n, i) => runTask(`r${i}`, n, i)), template);
  return {
    pairs: m.pairs.map((p) => `${p.run.name}→${p.template.id}${p.renamed ? '*' : ''}`),
    extra: m.extra.map((t) => t.name),
    missing: m.missing.map((t) => t.id),
  };
}

describe('matchRunTasks', () => {
  it('pairs equal names in order, ignoring case and spacing', () => {
    expect(pairsOf(['intake', ' Review ', 'Sign  off', 'Archive'])).toEqual({ pairs: ['intake→A', ' Review →B', 'Sign  off→C', 'Archive→D'], extra: [], missing: [] });
  });

  it('a renamed task pairs by position, flagged', () => {
    expect(pairsOf(['Intake', 'Legal review', 'Sign off', 'Archive'])).toEqual({ pairs: ['Intake→A', 'Legal review→B*', 'Sign off→C', 'Archive→D'], extra: [], missing: [] });
  });

  it('a task added to the template after the run started is missing from the run', () => {
    expect(pairsOf(['Intake', 'Sign off', 'Archive'])).toEqual({ pairs: ['Intake→A', 'Sign off→C', 'Archive→D'], extra: [], missing: ['B'] });
  });

  it('a run task the template no longer has is extra, and later names still line up', () => {
    expect(pairsOf(['Intake', 'Review', 'Old step', 'Sign off', 'Archive'])).toEqual({ pairs: ['Intake→A', 'Review→B', 'Sign off→C', 'Archive→D'], extra: ['Old step'], missing: [] });
  });

  it('renamed, extra and missing at once', () => {
    // Between the anchors Intake and Archive the run has one task where the template has two: they pair
    // in order (Approve takes Review's step, renamed) and Sign off is missing; Follow-up has no match.
    expect(pairsOf(['Intake', 'Approve', 'Archive', 'Follow-up'])).toEqual({ pairs: ['Intake→A', 'Approve→B*', 'Archive→D'], extra: ['Follow-up'], missing: ['C'] });
  });

  it('duplicate names pair in order; input order does not matter, positions do', () => {
    const dup = [tt('X', 'Check', 0), tt('Y', 'Check', 1)];
    const m = matchRunTasks([runTask('r1', 'Check', 1), runTask('r0', 'Check', 0)], dup);
    expect(m.pairs.map((p) => `${p.run.id}→${p.template.id}`)).toEqual(['r0→X', 'r1→Y']);
  });

  it('empty sides', () => {
    expect(matchRunTasks([], template).missing).toHaveLength(4);
    expect(matchRunTasks([runTask('r', 'x', 0)], []).extra).toHaveLength(1);
  });
});
