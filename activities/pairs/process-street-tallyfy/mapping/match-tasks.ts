import type { PsRunTask, PsTemplateTask } from '../contract.ts';
import { cleanText } from './text.ts';

/**
 * Run tasks carry no template-task id (reference: Process Street "Runs"), so they are paired with the
 * workflow's tasks by order and name:
 * 1. the longest order-preserving sequence of equal names (case- and space-insensitive) anchors the
 *    pairing — tasks inserted into or removed from the template since the run started shift positions
 *    but keep their names;
 * 2. between two anchors, the remaining run tasks pair with the remaining template tasks in order
 *    (renamed tasks: same place, new name);
 * 3. what is left is an extra run task (no template match) or a missing one (a step with no run task).
 */
export interface TaskMatch {
  pairs: Array<{ run: PsRunTask; template: PsTemplateTask; renamed: boolean }>;
  extra: PsRunTask[];
  missing: PsTemplateTask[];
}

export function matchRunTasks(runTasks: readonly PsRunTask[], templateTasks: readonly PsTemplateTask[]): TaskMatch {
  const run = [...runTasks].sort((a, b) => a.position - b.position);
  const tpl = [...templateTasks].sort((a, b) => a.position - b.position);
  const anchors = lcs(run.map((t) => nameKey(t.name)), tpl.map((t) => nameKey(t.name)));
  const match: TaskMatch = { pairs: [], extra: [], missing: [] };
  let r = 0;
  let t = 0;
  for (const [ar, at] of [...anchors, [run.length, tpl.length] as const]) {
    // The gap before this anchor: pair in order, the surplus on either side is extra / missing.
    while (r < ar && t < at) match.pairs.push({ run: run[r++]!, template: tpl[t++]!, renamed: true });
    while (r < ar) match.extra.push(run[r++]!);
    while (t < at) match.missing.push(tpl[t++]!);
    if (ar < run.length && at < tpl.length) match.pairs.push({ run: run[r++]!, template: tpl[t++]!, renamed: false });
  }
  match.pairs.sort((a, b) => a.run.position - b.run.position);
  return match;
}

function nameKey(name: string): string {
  return cleanText(name).toLowerCase();
}

/** Index pairs [i, j] of a longest common subsequence of a and b (earliest pairs on ties, so order wins). */
function lcs(a: readonly string[], b: readonly string[]): Array<readonly [number, number]> {
  const n = a.length;
  const m = b.length;
  // len[i][j] = LCS length of a[i..] and b[j..]
  const len = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const out: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i += 1;
      j += 1;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i += 1;
    else j += 1;
  }
  return out;
}
