import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { AttributeSpec, SchemaPlan, SchemaResult } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import { attioCode } from './attio-errors.ts';
import type { AttioAttribute, AttioList, AttioListResponse, AttioOption, AttioWorkspaceMember } from './attio-types.ts';

/**
 * Creates what the plan needs and is missing: attributes (objects and lists), select options and
 * statuses (before any record uses them), lists. Every create treats 409 slug_conflict as "already
 * there", so concurrent jobs and re-runs converge. Reads first, so a re-run costs reads, not writes.
 */
export async function ensureAttioSchema(client: AttioClient, plan: SchemaPlan, signal?: AbortSignal): Promise<SchemaResult> {
  const created: string[] = [];
  const get = <T>(path: string) => client.request<AttioListResponse<T>>('GET', path, { signal }).then((r) => r.data);
  const create = async (path: string, data: unknown, label: string): Promise<void> => {
    try {
      await client.request('POST', path, { body: { data }, signal });
      created.push(label);
    } catch (error) {
      if (isConnectorError(error) && (error.status === 409 || attioCode(error) === 'slug_conflict')) return;
      throw error;
    }
  };

  const ensureAttributes = async (base: string, specs: readonly AttributeSpec[], label: string): Promise<void> => {
    const existing = new Map((await get<AttioAttribute>(`${base}/attributes`)).map((a) => [a.api_slug, a]));
    for (const spec of specs) {
      if (!existing.has(spec.slug)) await create(`${base}/attributes`, attributeBody(spec), `${label}.${spec.slug}`);
      if (spec.options && spec.options.length > 0) {
        const kind = spec.type === 'status' ? 'statuses' : 'options';
        await ensureOptions(`${base}/attributes/${spec.slug}/${kind}`, spec.options, `${label}.${spec.slug}`);
      }
    }
  };

  const ensureOptions = async (path: string, titles: readonly string[], label: string): Promise<void> => {
    const have = new Set((await get<AttioOption>(path)).map((o) => o.title));
    for (const title of titles) if (!have.has(title)) await create(path, { title }, `${label}:${title}`);
  };

  for (const object of plan.objects) {
    await ensureAttributes(`/objects/${object.object}`, object.attributes, object.object);
    for (const extra of object.extraOptions ?? []) {
      const attrs = await get<AttioAttribute>(`/objects/${object.object}/attributes`);
      const type = attrs.find((a) => a.api_slug === extra.attribute)?.type;
      await ensureOptions(`/objects/${object.object}/attributes/${extra.attribute}/${type === 'status' ? 'statuses' : 'options'}`, extra.titles, `${object.object}.${extra.attribute}`);
    }
  }

  const lists: Record<string, string> = {};
  if (plan.lists.length > 0) {
    const existing = new Map((await get<AttioList>('/lists')).map((l) => [l.api_slug, l]));
    for (const list of plan.lists) {
      if (!existing.has(list.slug)) {
        await create('/lists', { name: list.name, api_slug: list.slug, parent_object: list.parentObject, workspace_access: 'full-access', workspace_member_access: [] }, `list:${list.slug}`);
      }
      await ensureAttributes(`/lists/${list.slug}`, list.attributes, `list:${list.slug}`);
    }
    for (const l of await get<AttioList>('/lists')) lists[l.api_slug] = l.id.list_id;
  }

  const members = await get<AttioWorkspaceMember>('/workspace_members').catch(() => []);
  const first = members[0];
  return {
    created,
    lists,
    defaultActor: first ? { type: 'workspace-member', id: first.id.workspace_member_id, ...(first.email_address ? { email: first.email_address } : {}) } : null,
  };
}

function attributeBody(spec: AttributeSpec): Record<string, unknown> {
  return {
    title: spec.title,
    description: 'Migrated from Affinity by Freight',
    api_slug: spec.slug,
    type: spec.type,
    is_required: false,
    is_unique: spec.isUnique,
    is_multiselect: spec.isMultiselect,
    config: spec.type === 'record-reference' && spec.targetObject ? { record_reference: { allowed_objects: [spec.targetObject] } } : {},
  };
}
