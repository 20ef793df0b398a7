import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { renderAttribute, renderMember, renderObject, renderOption, renderSelf, renderStatus } from '../values/render.ts';
import { createAttribute, createOption, createStatus, optionsOf, statusesOf } from '../workspace/schema.ts';
import { containerOf, requireAttribute, requireObject, type AttioRoute } from './context.ts';

/** Objects, attributes (of objects and lists), select options, statuses, workspace members, /v2/self. */
export function addSchemaRoutes(router: Router<AttioRoute>): void {
  router
    .add('GET', '/v2/self', ({ ws, write, scope }) => reply(200, renderSelf(ws, write.actor, scope)))
    .add('GET', '/v2/workspace_members', ({ ws }) => reply(200, { data: ws.members.map((m) => renderMember(ws, m)) }))
    .add('GET', '/v2/objects', ({ ws }) => reply(200, { data: [...ws.objects.values()].map((s) => renderObject(ws, s)) }))
    .add('GET', '/v2/objects/:object', ({ ws, params }) => reply(200, { data: renderObject(ws, requireObject(ws, params.object)) }));

  for (const target of ['objects', 'lists'] as const) {
    const base = `/v2/${target}/:parent/attributes`;
    router
      .add('GET', base, ({ ws, params }) => {
        const { container } = containerOf(ws, target, params.parent);
        return reply(200, { data: [...container.attributes.values()].map((a) => renderAttribute(ws, container, a)) });
      })
      .add('POST', base, async ({ ws, params, json }) => {
        const { container, unique } = containerOf(ws, target, params.parent);
        const attribute = createAttribute(ws, container, await json(), unique);
        return reply(200, { data: renderAttribute(ws, container, attribute) });
      })
      .add('GET', `${base}/:attribute`, ({ ws, params }) => {
        const { container } = containerOf(ws, target, params.parent);
        return reply(200, { data: renderAttribute(ws, container, requireAttribute(container, params.attribute)) });
      })
      .add('GET', `${base}/:attribute/options`, ({ ws, params }) => {
        const { container } = containerOf(ws, target, params.parent);
        const attribute = requireAttribute(container, params.attribute);
        return reply(200, { data: optionsOf(attribute).map((o) => renderOption(ws, container, attribute, o)) });
      })
      .add('POST', `${base}/:attribute/options`, async ({ ws, params, json }) => {
        const { container } = containerOf(ws, target, params.parent);
        const attribute = requireAttribute(container, params.attribute);
        return reply(200, { data: renderOption(ws, container, attribute, createOption(ws, attribute, await json())) });
      })
      .add('GET', `${base}/:attribute/statuses`, ({ ws, params }) => {
        const { container } = containerOf(ws, target, params.parent);
        const attribute = requireAttribute(container, params.attribute);
        return reply(200, { data: statusesOf(attribute).map((s) => renderStatus(ws, container, attribute, s)) });
      })
      .add('POST', `${base}/:attribute/statuses`, async ({ ws, params, json }) => {
        const { container } = containerOf(ws, target, params.parent);
        const attribute = requireAttribute(container, params.attribute);
        return reply(200, { data: renderStatus(ws, container, attribute, createStatus(ws, attribute, await json())) });
      });
  }
}
