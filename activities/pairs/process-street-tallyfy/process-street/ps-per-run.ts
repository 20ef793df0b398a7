import type { PsAttachment, PsComment } from '../contract.ts';
import { KEY } from '../contract.ts';
import { NOT_FOUND, VALIDATION } from '../../../../shared/error-kinds.ts';
import { ConnectorError, isConnectorError } from '../../../connectors/connector-error.ts';
import type { PsClient } from './ps-client.ts';
import { decodeCursor, encodeCursor } from './ps-cursor.ts';
import { listPage, PS_PAGE, type ListPage } from './ps-pages.ts';
import { attachmentOf, commentOf, type Converted } from './ps-records.ts';
import type { RawAttachment, RawComment, RawRun } from './ps-types.ts';
import type { PsSkipped } from './ps-source-types.ts';

export type PerRunKind = 'comments' | 'attachments';

export interface PerRunPage<R> { records: R[]; skipped: PsSkipped[]; nextCursor: string | null }

const PATH: Record<PerRunKind, string> = { comments: '/comments', attachments: '/attachments' };

/**
 * Comments or attachments, run by run: runs enumerated with `/workflow-runs/list` (never the
 * 200-capped search), then `/comments?workflowRunId=` (or `/attachments?workflowRunId=`) page by
 * page. Whole API pages only: a page is read while another full one still fits in `wanted`, and at
 * most `maxCalls` calls are spent (a stretch of runs without comments then yields a short page,
 * with a cursor). A run whose listing answers 404 (deleted meanwhile) is skipped with the reason.
 */
export async function readPerRun<R extends PsComment | PsAttachment>(
  client: PsClient, kind: PerRunKind, cursor: string | null, opts: { wanted: number; maxCalls: number; signal?: AbortSignal | undefined },
): Promise<PerRunPage<R>> {
  const records: R[] = [];
  const skipped: PsSkipped[] = [];
  let calls = 0;
  let state: { n: string | null; p: string[]; i: number; c: string | null };
  if (cursor === null) {
    const runs = await listPage<RawRun>(client, 'data', { path: '/workflow-runs/list' }, opts.signal);
    calls += 1;
    state = { n: runs.next, p: runIds(runs, [], skipped), i: 0, c: null };
  } else {
    const c = decodeCursor(cursor);
    if (!('p' in c)) throw new ConnectorError({ kind: 'config', message: `not a Process Street ${kind} cursor` });
    state = c;
  }
  while (calls < opts.maxCalls && (calls === 0 || records.length + PS_PAGE <= opts.wanted)) {
    const runId = state.p[state.i];
    if (runId === undefined) {
      if (state.n === null) return { records, skipped, nextCursor: null };
      const runs = await listPage<RawRun>(client, 'data', { href: state.n }, opts.signal);
      calls += 1;
      state = { n: runs.next, p: runIds(runs, state.p, skipped), i: 0, c: null };
      continue;
    }
    let page: ListPage<RawComment & RawAttachment>;
    try {
      page = await listPage(client, 'data', state.c ? { href: state.c } : { path: PATH[kind], query: [['workflowRunId', runId]] }, opts.signal);
    } catch (error) {
      if (!isConnectorError(error) || error.kind !== NOT_FOUND) throw error;
      skipped.push({ source: { kind: KEY.run, id: runId }, kind: NOT_FOUND, reason: `${kind} of run ${runId} could not be read: ${error.message}` });
      state = { ...state, i: state.i + 1, c: null };
      calls += 1;
      continue;
    }
    calls += 1;
    for (const item of page.items) {
      const converted = (kind === 'comments' ? commentOf(item, runId) : attachmentOf(item, runId, '')) as Converted<R>;
      if (converted.ok) records.push(converted.value);
      else skipped.push({ source: { kind: kind === 'comments' ? KEY.comment : KEY.attachment, id: typeof item.id === 'string' ? item.id : `run:${runId}` }, kind: VALIDATION, reason: converted.reason });
    }
    state = page.next !== null ? { ...state, c: page.next } : { ...state, i: state.i + 1, c: null };
  }
  const done = state.i >= state.p.length && state.n === null;
  return { records, skipped, nextCursor: done ? null : encodeCursor(state) };
}

/** The ids of a runs page, without those of the page before (read already; see ps-cursor.ts). */
function runIds(runs: ListPage<RawRun>, previous: readonly string[], skipped: PsSkipped[]): string[] {
  return runs.items.flatMap((r) => {
    if (typeof r.id === 'string' && r.id !== '') return previous.includes(r.id) ? [] : [r.id];
    skipped.push({ source: { kind: KEY.run, id: 'unknown' }, kind: VALIDATION, reason: 'a run listed without id' });
    return [];
  });
}
