import { multipleMatch, notFound, validationType, valueNotFound } from '../errors.ts';
import { parseAttributeValue, type Resolver } from '../values/parse.ts';
import { findAttribute } from './attributes.ts';
import type { Attribute } from './types.ts';
import { findObject, type Workspace } from './workspace.ts';

/** Record references resolve by id or by a unique attribute of the target; exactly one record must match. */
export function createResolver(ws: Workspace): Resolver {
  const resolver: Resolver = {
    resolveReference(attribute: Attribute, value: Record<string, unknown>) {
      const store = findObject(ws, value.target_object as string);
      if (!store) throw notFound(`Object "${String(value.target_object)}" does not exist`);
      const slug = store.container.slug;
      if (attribute.allowedObjects.length > 0 && !attribute.allowedObjects.includes(slug)) {
        throw validationType(`Attribute "${attribute.slug}" cannot reference "${slug}" records (allowed: ${attribute.allowedObjects.join(', ')})`);
      }
      if (typeof value.target_record_id === 'string') {
        if (!store.records.has(value.target_record_id)) throw valueNotFound(`No ${slug} record with id "${value.target_record_id}" for attribute "${attribute.slug}"`);
        return { object: slug, recordId: value.target_record_id };
      }
      const lookupKey = Object.keys(value).find((k) => k !== 'target_object');
      const lookup = lookupKey === undefined ? undefined : findAttribute(store.container, lookupKey);
      const index = lookup ? store.unique.get(lookup.slug) : undefined;
      if (!lookup || !index || lookupKey === undefined) {
        throw validationType(`Reference for "${attribute.slug}" needs target_record_id or a unique attribute of ${slug}`);
      }
      const ids = new Set<string>();
      for (const item of parseAttributeValue(lookup, value[lookupKey], resolver)) {
        const id = index.get(item.key);
        if (id !== undefined) ids.add(id);
      }
      if (ids.size === 0) throw valueNotFound(`No ${slug} record matches ${lookup.slug} for attribute "${attribute.slug}"`);
      if (ids.size > 1) throw multipleMatch(`Several ${slug} records match ${lookup.slug} for attribute "${attribute.slug}"`);
      return { object: slug, recordId: [...ids][0] as string };
    },
    resolveMember(idOrEmail: string) {
      const needle = idOrEmail.toLowerCase();
      return ws.members.find((m) => m.id === idOrEmail || m.email.toLowerCase() === needle)?.id;
    },
  };
  return resolver;
}
