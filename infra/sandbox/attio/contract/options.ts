/** Attribute ids, select options and statuses (components `select-option` and `status`). */
import { boolean, nullableString, object, string, uuid, type Schema } from './common.ts';

/**
 * Attributes, options and statuses are identified by `object_id` in the spec even when they belong to a
 * list (there is no `list_id` in these ids): the id then holds the list's id.
 */
export const attributeId = object({ workspace_id: uuid, object_id: uuid, attribute_id: uuid });

export const selectOption: Schema = object({
  id: object({ workspace_id: uuid, object_id: uuid, attribute_id: uuid, option_id: uuid }),
  title: string,
  is_archived: boolean,
});

export const status: Schema = object({
  id: object({ workspace_id: uuid, object_id: uuid, attribute_id: uuid, status_id: uuid }),
  title: string,
  is_archived: boolean,
  celebration_enabled: boolean,
  target_time_in_status: nullableString,
});
