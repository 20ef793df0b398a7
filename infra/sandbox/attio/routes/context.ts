import type { JsonReply } from '../../core/respond.ts';
import type { RouteParams } from '../../core/router.ts';
import { notFound } from '../errors.ts';
import type { PoisonGuard } from '../poison.ts';
import { findAttribute } from '../workspace/attributes.ts';
import type { Attribute, AttributeContainer, ListStore, RecordStore } from '../workspace/types.ts';
import { findList, findObject, type Workspace } from '../workspace/workspace.ts';
import type { WriteContext } from '../workspace/write.ts';

export interface AttioRouteContext {
  ws: Workspace;
  params: RouteParams;
  query: URLSearchParams;
  json(): Promise<unknown>;
  /** Actor, timestamp and resolver of this request's writes. */
  write: WriteContext;
  poison: PoisonGuard;
  /** The calling token's scopes, space-separated (GET /v2/self). */
  scope: string;
  /** A records/entries query's admission under the workspace's query score window: a 429 reply, or undefined. */
  admitQuery(body: unknown, rows: number): JsonReply | undefined;
}

export type AttioRoute = (ctx: AttioRouteContext) => JsonReply | Promise<JsonReply>;

export function requireObject(ws: Workspace, idOrSlug: string | undefined): RecordStore {
  const store = idOrSlug === undefined ? undefined : findObject(ws, idOrSlug);
  if (!store) throw notFound(`Object with slug/ID "${idOrSlug}" not found`);
  return store;
}

export function requireList(ws: Workspace, idOrSlug: string | undefined): ListStore {
  const list = idOrSlug === undefined ? undefined : findList(ws, idOrSlug);
  if (!list) throw notFound(`List with slug/ID "${idOrSlug}" not found`);
  return list;
}

export function requireAttribute(container: AttributeContainer, idOrSlug: string | undefined): Attribute {
  const attribute = idOrSlug === undefined ? undefined : findAttribute(container, idOrSlug);
  if (!attribute) throw notFound(`Attribute with slug/ID "${idOrSlug}" not found on "${container.slug}"`);
  return attribute;
}

/** Objects and lists share the attribute endpoints; `target` is the first path segment after /v2. */
export function containerOf(ws: Workspace, target: 'objects' | 'lists', idOrSlug: string | undefined): { container: AttributeContainer; unique?: Map<string, Map<string, string>> } {
  if (target === 'objects') {
    const store = requireObject(ws, idOrSlug);
    return { container: store.container, unique: store.unique };
  }
  return { container: requireList(ws, idOrSlug).container };
}
