/** Test-only: write intents as the mapping would hand them, and id maps that fail like a crashed worker. */
import { createMemoryIdMap, type MemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { KEY, psMarker, type BlueprintWrite, type CommentWrite, type FileWrite, type ProcessWrite } from '../contract.ts';

export const blueprintWrite = (id = 'wf1'): BlueprintWrite => ({
  kind: 'blueprint', source: { kind: KEY.workflow, id }, title: `Onboarding ${psMarker(id)}`, summary: 'from PS',
  steps: [
    { source: { kind: KEY.templateTask, id: `${id}-t1` }, title: 'Collect details', summary: '', position: 1, stepType: 'task', captures: [
      { source: { kind: KEY.templateField, id: `${id}-f1` }, label: 'Name', fieldType: 'text', required: true, position: 1 },
      { source: { kind: KEY.templateField, id: `${id}-f2` }, label: 'Plan', fieldType: 'dropdown', required: false, position: 2, options: [{ id: 1, text: 'Basic' }, { id: 2, text: 'Pro' }] },
    ] },
    { source: { kind: KEY.templateTask, id: `${id}-t2` }, title: 'Contract', summary: '', position: 2, stepType: 'approval', captures: [
      { source: { kind: KEY.templateField, id: `${id}-f3` }, label: 'Signed copy', fieldType: 'file', required: false, position: 1 },
    ] },
  ],
});

/** A process of the blueprint `ids` came from (step and capture ids out of the id map). */
export function processWrite(ids: Map<string, { id: string }>, checklistId: string, status: ProcessWrite['status'] = 'active', id = 'run1'): ProcessWrite {
  const step = (t: string): string => ids.get(`${KEY.templateTask}:wf1-${t}`)?.id ?? '';
  const field = (f: string): string => ids.get(`${KEY.templateField}:wf1-${f}`)?.id ?? '';
  return {
    kind: 'process', source: { kind: KEY.run, id }, checklistId, name: `Acme onboarding ${psMarker(id)}`, summary: '', status, dueDate: null,
    tasks: [
      { source: { kind: KEY.runTask, id: `${id}-rt1` }, stepId: step('t1'), deadline: '2027-01-10 12:00:00', owners: [1001],
        taskdata: { [field('f1')]: 'Acme', [field('f2')]: { id: 2, text: 'Pro' } }, complete: { by: 1001 } },
      { source: { kind: KEY.runTask, id: `${id}-rt2` }, stepId: step('t2'), deadline: null, owners: [], taskdata: {}, complete: null },
    ],
  };
}

export const commentWrite = (runId: string, stepId: string, id = 'c1'): CommentWrite => ({
  kind: 'comment', source: { kind: KEY.comment, id }, runId, stepId, content: `Looks good — ann@ps.test, 2024-03-01 ${psMarker(id)}`,
});

export const fileWrite = (runId: string, stepId: string, checklistId: string, captureId: string, id = 'a1'): FileWrite => ({
  kind: 'file', source: { kind: KEY.attachment, id }, runId, stepId, checklistId, captureId,
  fileName: 'contract.pdf', mimeType: 'application/pdf', size: 5, downloadUrl: `https://files.example/${id}`,
});

/** An id map whose `put` throws once, on its `nth` call: the worker died after the create, before the map knew. */
export function crashingIdMap(inner: MemoryIdMap, nth = 1): MemoryIdMap {
  let calls = 0;
  return {
    ...inner,
    put(entries, options) {
      calls += 1;
      if (calls === nth) return Promise.reject(new Error('worker crashed before the id-map put'));
      return inner.put(entries, options);
    },
  };
}

export { createMemoryIdMap };
