import { createRng } from '../../core/prng.ts';
import { makeFile } from './files.ts';
import { DAY_MS, iso, KIND, muid } from './ids.ts';
import type { GeneratedRun } from './runs.ts';
import type { Attachment, Comment, RunTask, StoredFile, UserRef } from './types.ts';
import { COMMENT_WORDS } from './words.ts';

const byNewest = <T extends { createdDate: string; id: string }>(a: T, b: T) =>
  a.createdDate < b.createdDate ? 1 : a.createdDate > b.createdDate ? -1 : a.id < b.id ? 1 : -1;

/**
 * Comments and attachments on tasks of runs that are not deleted (a deleted run's collaboration is not
 * listed anywhere), newest first. Some authors have left the organisation.
 */
export function buildCollaboration(seed: number, runs: GeneratedRun[], members: UserRef[], formerUser: UserRef, counts: { comments: number; attachments: number }, files: Map<string, StoredFile>): { comments: Comment[]; attachments: Attachment[] } {
  const live = runs.filter((g) => g.run.status !== 'Deleted' && g.tasks.length > 0);
  const rng = createRng(seed, KIND.comment);
  const placeOn = () => {
    const g = rng.pick(live);
    const task = rng.pick(g.tasks) as RunTask;
    return { g, task, createdMs: Date.parse(g.run.audit.createdDate) + rng.int(30 * DAY_MS) };
  };
  const comments: Comment[] = [];
  for (let c = 0; c < counts.comments; c += 1) {
    const { g, task, createdMs } = placeOn();
    const author = c % 97 === 13 ? formerUser : rng.pick(members);
    const words = Array.from({ length: rng.between(2, c % 50 === 0 ? 120 : 18) }, () => rng.pick(COMMENT_WORDS));
    const edited = rng.chance(0.1);
    comments.push({
      id: muid(seed, KIND.comment, c), workflowRunId: g.run.id, taskId: task.id, text: words.join(' '),
      createdDate: iso(createdMs), createdBy: author,
      updatedDate: iso(edited ? createdMs + rng.int(DAY_MS) : createdMs), updatedBy: author,
    });
  }
  const attachments: Attachment[] = [];
  for (let a = 0; a < counts.attachments; a += 1) {
    const { g, task, createdMs } = placeOn();
    const id = muid(seed, KIND.attachment, a);
    const file = makeFile(seed, id, `attachment-${a + 1}${a % 9 === 4 ? '-résumé' : ''}`, 7_000_000 + a);
    files.set(id, file);
    attachments.push({
      id, taskId: task.id, workflowRunId: g.run.id, workflowId: g.run.workflowId, fileName: file.fileName, mimeType: file.mimeType,
      size: file.size, createdDate: iso(createdMs), createdBy: rng.pick(members),
    });
  }
  return { comments: comments.sort(byNewest), attachments: attachments.sort(byNewest) };
}
