import type { Role } from '../../../../shared/auth/principal.ts';
import type { TestApp } from '../../support/app.ts';

/** The subset of JSON Schema the OpenAPI document uses, enough to sample and mutate bodies. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  propertyNames?: JsonSchema;
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  example?: unknown;
  default?: unknown;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: JsonSchema;
}

/** One operation of the served OpenAPI document. */
export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. `/v1/jobs/{jobId}`. */
  path: string;
  /** `x-roles`; undefined for public operations (no `security`). */
  roles: Role[] | undefined;
  params: Param[];
  /** The resolved JSON body schema, when the operation takes a body. */
  body: JsonSchema | undefined;
  label: string;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { 'x-roles'?: Role[]; security?: unknown[]; parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * Every operation the app serves, read from its own `GET /openapi.json` at test time, so routes
 * added later are covered without touching the security suite.
 */
export async function loadOperations(t: TestApp): Promise<Operation[]> {
  const res = await t.app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const doc = (await res.json()) as OpenApiDoc;
  const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined => derefDeep(schema, doc.components?.schemas ?? {}, 0);
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const secured = Array.isArray(op.security) && op.security.length > 0;
      ops.push({
        method: method.toUpperCase(),
        path,
        // A secured operation without x-roles is still secured: treat it as "no role at all" so
        // the role checks flag it rather than skip it.
        roles: secured ? (op['x-roles'] ?? []) : undefined,
        params: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) ?? {} })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
        label: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return ops;
}

function derefDeep(schema: JsonSchema | undefined, components: Record<string, JsonSchema>, depth: number): JsonSchema | undefined {
  if (!schema || depth > 8) return schema;
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  const out: JsonSchema = { ...s };
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, derefDeep(v, components, depth + 1) ?? {}]));
  if (s.items) out.items = derefDeep(s.items, components, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (list) out[key] = list.map((v) => derefDeep(v, components, depth + 1) ?? {});
  }
  return out;
}

/** The operation's path with its `{param}`s filled from `values` (URI-encoded); unknown ones get `fallback(name)`. */
export function fillPath(op: Operation, values: Record<string, string>, fallback: (name: string) => string): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? fallback(name)));
}

export function pathParamNames(op: Operation): string[] {
  return [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/** Public operations carry no `security`, so they are not expected to reject anonymous callers. */
export const isSecured = (op: Operation): boolean => op.roles !== undefined;

/** Read operations; everything else changes state and must never be open to viewers. */
export const isWrite = (op: Operation): boolean => op.method !== 'GET';

/** A tenant role allowed to call `op` (engineer first: it may also write), or admin if only admins may. */
export function callerRole(op: Operation): Role | undefined {
  const roles = op.roles ?? [];
  if (roles.includes('engineer')) return 'engineer';
  if (roles.includes('viewer')) return 'viewer';
  if (roles.includes('admin')) return 'admin';
  return undefined;
}
