import { KEY, type PsUserRef, type SourceKey, type TargetRef } from '../contract.ts';
import { normalizeEmail } from './text.ts';
import type { PsMapContext } from './types.ts';

/**
 * Source keys and id-map conventions shared by the mappers and the Tallyfy target of this pair.
 * PS ids are Muids (22 URL-safe characters, no ":"), so the composite ids below cannot collide.
 */

export const userKey = (id: string): SourceKey => ({ kind: KEY.user, id });

/**
 * Alternate user key by normalised email. The id map holds users by PS id; the runtime may also answer
 * these keys (from Tallyfy members looked up by email) so people whose PS id is unknown still resolve.
 */
export const userEmailKey = (email: string): SourceKey => ({ kind: KEY.user, id: `email:${email}` });

/** The extra file capture a step gets when its workflow's runs have attachments. */
export const attachmentsCaptureKey = (templateTaskId: string): SourceKey => ({ kind: KEY.templateField, id: `${templateTaskId}:attachments` });

/**
 * What the target stores under KEY.runTask once a process is launched: the Tallyfy task id and the
 * step it came from. Comments and files are written to (run, step), and only the run mapper knows
 * which template task (hence step) a run task matched, so the step travels through the id map.
 */
export function runTaskTarget(taskId: string, stepId: string): TargetRef {
  return { object: 'task', id: `${taskId}:${stepId}` };
}

export function parseRunTaskTarget(ref: TargetRef): { taskId: string; stepId: string } | null {
  const m = /^([^:]+):([^:]+)$/.exec(ref.id);
  return ref.object === 'task' && m?.[1] && m[2] ? { taskId: m[1], stepId: m[2] } : null;
}

/** Keys to try for a PS person: id first, then email when the config allows. */
export function userKeys(ref: PsUserRef, ctx: Pick<PsMapContext, 'config'>): SourceKey[] {
  const keys = [userKey(ref.id)];
  const email = ctx.config.matchUsersByEmail ? normalizeEmail(ref.email) : null;
  if (email) keys.push(userEmailKey(email));
  return keys;
}

/** The Tallyfy member id of a PS person, or null (not migrated, or a non-integer id). */
export function resolveUser(ref: PsUserRef, ctx: PsMapContext): number | null {
  for (const key of userKeys(ref, ctx)) {
    const target = ctx.resolve(key);
    if (target && /^\d+$/.test(target.id)) return Number(target.id);
  }
  return null;
}

/** How a person is named in texts: username, else email, else id. */
export function personLabel(ref: PsUserRef | null): string {
  if (!ref) return 'an unknown user';
  return ref.username?.trim() || ref.email?.trim() || `user ${ref.id}`;
}
