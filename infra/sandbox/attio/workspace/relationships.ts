import type { Attribute, StoredItem, ValuedRow } from './types.ts';
import type { WriteContext } from './write.ts';

/**
 * Two-way relationships (people.company ↔ companies.team, …): writing one side updates the other, as in
 * Attio. A single-valued inverse moves: the target leaves its previous partner first.
 */
export function syncInverse(ctx: WriteContext, sourceObject: string, row: ValuedRow, attribute: Attribute, oldItems: StoredItem[], newItems: StoredItem[]): void {
  const relation = attribute.relationship;
  if (!relation) return;
  const targetStore = ctx.ws.objects.get(relation.object);
  const sourceStore = ctx.ws.objects.get(sourceObject);
  const inverse = targetStore?.container.attributes.get(relation.attribute);
  if (!targetStore || !sourceStore || !inverse) return;
  const oldTargets = new Set(oldItems.map((i) => i.key));
  const newTargets = new Set(newItems.map((i) => i.key));

  const changes = ctx.ws.changes;
  for (const id of oldTargets) {
    if (newTargets.has(id)) continue;
    removeReference(targetStore.records.get(id), inverse.slug, row.id);
    changes?.row(targetStore.container, id);
  }
  for (const id of newTargets) {
    if (oldTargets.has(id)) continue;
    const target = targetStore.records.get(id);
    if (!target) continue;
    changes?.row(targetStore.container, id);
    const current = target.values.get(inverse.slug) ?? [];
    if (current.some((i) => i.key === row.id)) continue;
    const item: StoredItem = { from: ctx.at, actor: ctx.actor, data: { target_object: sourceObject, target_record_id: row.id }, key: row.id };
    if (inverse.isMultiselect) {
      current.push(item);
      target.values.set(inverse.slug, current);
    } else {
      for (const previous of current) {
        removeReference(sourceStore.records.get(previous.key), attribute.slug, id);
        changes?.row(sourceStore.container, previous.key);
      }
      target.values.set(inverse.slug, [item]);
    }
  }
}

export function removeReference(row: ValuedRow | undefined, slug: string, targetId: string): void {
  const items = row?.values.get(slug);
  if (!row || !items) return;
  const kept = items.filter((i) => i.key !== targetId);
  if (kept.length === 0) row.values.delete(slug);
  else if (kept.length !== items.length) row.values.set(slug, kept);
}
