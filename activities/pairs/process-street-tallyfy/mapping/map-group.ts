import { KEY, psMarker, type GroupWrite, type PsGroup, type SourceKey } from '../contract.ts';
import { resolveUser, userKeys } from './keys.ts';
import { cleanText } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * SCIM group → group. Tallyfy group names are unique and the target finds a group again by name, so
 * the name stays as in PS; the source marker goes into the (required) description. Members resolve
 * through the id map (PS id, then email); members not migrated are listed as unresolved so a later
 * pass can add them.
 */
export function mapGroup(group: PsGroup, ctx: PsMapContext): PsMapOutcome<GroupWrite> {
  const name = cleanText(group.name);
  if (name === '') return skip('validation', 'group has no name (Tallyfy requires a unique name)');
  const memberIds: number[] = [];
  const unresolved: SourceKey[] = [];
  const warnings: string[] = [];
  for (const member of group.members) {
    const id = resolveUser(member, ctx);
    if (id === null) {
      unresolved.push(...userKeys(member, ctx));
      warnings.push(`member ${member.email ?? member.id} is not migrated (yet); left out`);
    } else if (!memberIds.includes(id)) memberIds.push(id);
  }
  return {
    status: 'ok',
    write: { kind: 'group', source: { kind: KEY.group, id: group.id }, name, description: `${ctx.config.groupDescription} ${psMarker(group.id)}`, memberIds },
    notes: [`${memberIds.length} of ${group.members.length} member(s) resolved`], warnings, degraded: [], unresolved,
  };
}
