import { z } from 'zod';
import type { ContractChecker, ContractExchange, ContractViolation } from '../core/contract.ts';
import { createRouter, splitPath } from '../core/router.ts';
import { ERROR_CODE_BY_STATUS } from './errors.ts';
import { FIELD_TYPES } from './generator/types.ts';
import { API_PREFIX, SCIM_PREFIX } from './routes/context.ts';

/**
 * Response shapes of the reference's endpoint tables, written by hand as strict zod objects: a key the
 * reference does not list is a violation, so the sandbox cannot drift into answering more than the API.
 * (No OpenAPI copy of Process Street is in the hand-out, so this is the closest thing to a contract.)
 */
const muid = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const timestamp = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const userRef = z.strictObject({ id: muid, email: z.string(), username: z.string().optional() });
const audit = z.strictObject({ createdDate: timestamp, createdBy: userRef, updatedDate: timestamp, updatedBy: userRef });
const link = z.strictObject({ name: z.string(), href: z.string(), rel: z.string().optional(), type: z.enum(['Api', 'App']) });
const fieldType = z.enum(FIELD_TYPES as [string, ...string[]]);

const workflow = z.strictObject({ id: muid, name: z.string(), description: z.string().optional(), audit, links: z.array(link) });
const workflowTask = z.strictObject({ id: muid, workflowId: muid, name: z.string(), orderTree: z.string(), stopTask: z.boolean(), hiddenByDefault: z.boolean(), taskType: z.string() });
const formField = z.strictObject({ id: muid, taskId: muid, fieldType, key: z.string(), label: z.string(), dataSetLinked: z.boolean(), audit });
const option = z.strictObject({ value: z.string(), label: z.string(), dataSetRowId: z.string().optional() });
const revision = z.strictObject({ id: muid, workflowId: muid, version: z.number().int(), status: z.enum(['Draft', 'Finished', 'Revised']) });
const widget = z.strictObject({
  id: muid, taskId: muid, type: z.string(), fieldType: fieldType.optional(), key: z.string().optional(), label: z.string().optional(),
  required: z.boolean(), hiddenByDefault: z.boolean(), config: z.record(z.string(), z.unknown()),
});
const run = z.strictObject({
  id: muid, name: z.string(), status: z.enum(['Active', 'Completed', 'Archived', 'Deleted']), workflowId: muid, shared: z.boolean(),
  dueDate: timestamp.optional(), migrationStatus: z.string(), audit, links: z.array(link),
});
const runTask = z.strictObject({
  id: muid, workflowRunId: muid, name: z.string(), status: z.enum(['NotCompleted', 'Completed']), dueDate: timestamp.optional(),
  completedDate: timestamp.optional(), completedBy: userRef.optional(), hidden: z.boolean(), stopped: z.boolean(), taskType: z.string(),
  updatedDate: timestamp, updatedBy: userRef,
});
const value = z.strictObject({
  id: muid, workflowRunId: muid, taskId: muid, key: z.string(), label: z.string(), fieldType, data: z.unknown(), dataSetLinked: z.boolean(),
  updatedDate: timestamp.optional(), updatedBy: userRef.optional(),
});
const comment = z.strictObject({ id: muid, workflowRunId: muid, taskId: muid, text: z.string(), createdDate: timestamp, createdBy: userRef, updatedDate: timestamp, updatedBy: userRef });
const attachment = z.strictObject({
  id: muid, taskId: muid, workflowRunId: muid, workflowId: muid, fileName: z.string(), mimeType: z.string(), size: z.number().int(),
  createdDate: timestamp, createdBy: userRef, links: z.array(link),
});
const page = (key: string, item: z.ZodType) => z.strictObject({ [key]: z.array(item), links: z.array(link) });
const scimList = z.looseObject({ Resources: z.array(z.looseObject({ id: muid })) });

const errorInfo = z.strictObject({
  error: z.string(), errorCode: z.enum(Object.values(ERROR_CODE_BY_STATUS) as [string, ...string[]]), requestId: z.string(),
  details: z.record(z.string(), z.string()).optional(),
});
const INVALID_QUERY = z.literal('Invalid value for: query parameters');

const shapes = createRouter<z.ZodType>()
  .add('GET', `${API_PREFIX}/testAuth`, z.strictObject({ apiKeyLabel: z.string() }))
  .add('GET', `${API_PREFIX}/users`, page('users', userRef))
  .add('GET', `${SCIM_PREFIX}/Users`, scimList)
  .add('GET', `${SCIM_PREFIX}/Users/:id`, z.looseObject({ id: muid, userName: z.string() }))
  .add('GET', `${SCIM_PREFIX}/Groups`, scimList)
  .add('GET', `${SCIM_PREFIX}/Groups/:id`, z.looseObject({ id: muid, displayName: z.string() }))
  .add('GET', `${API_PREFIX}/workflows`, page('workflows', workflow))
  .add('GET', `${API_PREFIX}/workflows/:id`, z.strictObject({ data: workflow }))
  .add('GET', `${API_PREFIX}/workflows/:id/tasks`, page('tasks', workflowTask))
  .add('GET', `${API_PREFIX}/workflows/:id/form-fields`, page('fields', formField))
  .add('GET', `${API_PREFIX}/workflows/:id/form-fields/:fid/options`, page('options', option))
  .add('GET', `${API_PREFIX}/workflows/:id/revisions`, z.strictObject({ data: z.array(revision) }))
  .add('GET', `${API_PREFIX}/workflows/:id/revisions/:rev/tasks/:tid/widgets`, page('data', widget))
  .add('GET', `${API_PREFIX}/workflow-runs/list`, page('data', run))
  .add('GET', `${API_PREFIX}/workflow-runs`, z.strictObject({ workflowRuns: z.array(run).max(200) }))
  .add('GET', `${API_PREFIX}/workflow-runs/:id`, run)
  .add('GET', `${API_PREFIX}/workflow-runs/:id/tasks`, page('tasks', runTask))
  .add('GET', `${API_PREFIX}/workflow-runs/:id/tasks/:tid/assignees`, z.strictObject({ assignees: z.array(userRef) }))
  .add('GET', `${API_PREFIX}/workflow-runs/:id/assignees`, page('assignees', userRef))
  .add('GET', `${API_PREFIX}/workflow-runs/:id/form-fields`, page('fields', value))
  .add('GET', `${API_PREFIX}/workflow-runs/:id/tasks/:tid/form-fields`, page('fields', value))
  .add('GET', `${API_PREFIX}/comments`, page('data', comment))
  .add('GET', `${API_PREFIX}/attachments`, page('data', attachment))
  // Sandbox-defined download (inferred, README "Files"): bytes, seen here as their base64 carrier.
  .add('GET', `${API_PREFIX}/files/:id/content`, z.string());

/** Holds a Process Street sandbox exchange to the reference's shapes (pass as `contract` to the sandbox). */
export const checkProcessStreetContract: ContractChecker = (exchange: ContractExchange): ContractViolation[] => {
  const match = shapes.match(exchange.method, splitPath(exchange.path));
  const route = match.kind === 'found' ? match.pattern : exchange.path;
  let schema: z.ZodType;
  if (exchange.status === 400 && typeof exchange.responseBody === 'string') schema = INVALID_QUERY;
  else if (exchange.status >= 400) schema = errorInfo;
  else if (match.kind !== 'found') return [{ method: exchange.method, route, status: exchange.status, where: 'response', errors: ['no documented route'] }];
  else schema = match.handler;
  const result = schema.safeParse(exchange.responseBody);
  if (result.success) return [];
  return [{ method: exchange.method, route, status: exchange.status, where: 'response', errors: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) }];
};
