import { invalid } from './errors.ts';
import { isoZulu, isRecord, parseDateIn } from './format.ts';
import type { Organization } from './organization.ts';
import type { Capture } from './types.ts';

/**
 * A form value (`taskdata` and `prerun` share the shapes) checked against its field and turned into what
 * is stored. Shapes per the reference: text (≤ 200) / textarea (≤ 30,000) / email strings; date ISO; radio
 * the option TEXT; dropdown `{id, text}`; multiselect `[{id, text, selected}]`; table a flat list with one
 * entry per column; assignees_form `{users, guests, groups}`; file `[asset]` (uploaded through /file).
 * A wrong shape is a 422 on `taskdata.<capture id>` (inferred: the reference gives the shapes, not the message).
 */
export function acceptValue(org: Organization, capture: Capture, value: unknown, field: string): unknown {
  const bad = (why: string) => invalid(field, `${capture.label}: ${why}`);
  // Clearing a field: null or '' (inferred: what the web app sends for an emptied field).
  if (value === null || value === '') return null;
  switch (capture.field_type) {
    case 'text':
    case 'textarea':
    case 'email': {
      const max = capture.field_type === 'textarea' ? 30_000 : 200;
      if (typeof value !== 'string') throw bad('must be a string');
      if (value.length > max) throw bad(`may not be greater than ${max} characters`);
      return value;
    }
    case 'date':
      return isoZulu(parseDateIn(value, field));
    case 'radio':
      if (typeof value !== 'string') throw bad('must be the text of an option');
      // Inferred: a text no option carries is refused rather than stored.
      if (capture.options.length > 0 && !capture.options.some((o) => o.text === value)) throw bad('is not one of the options');
      return value;
    case 'dropdown': {
      if (!isRecord(value) || !Number.isInteger(value.id)) throw bad('must be {id, text} with an integer option id');
      const option = capture.options.find((o) => o.id === value.id);
      if (!option) throw bad(`option ${String(value.id)} does not exist`);
      return { id: option.id, text: option.text };
    }
    case 'multiselect': {
      if (!Array.isArray(value)) throw bad('must be a list of {id, text, selected}');
      return value.map((item) => {
        if (!isRecord(item) || !Number.isInteger(item.id)) throw bad('each entry needs an integer option id');
        const option = capture.options.find((o) => o.id === item.id);
        if (!option) throw bad(`option ${String(item.id)} does not exist`);
        // Stored as sent: an entry lacking `selected: true` is kept, and reads back as not chosen (silent 200).
        return { id: option.id, text: option.text, selected: item.selected === true };
      });
    }
    case 'table':
      if (!Array.isArray(value) || value.length !== capture.columns.length) throw bad(`must be a flat list with one entry per column (${capture.columns.length})`);
      return value.map((cell) => (isRecord(cell) || typeof cell === 'string' || typeof cell === 'number' ? cell : String(cell)));
    case 'assignees_form': {
      if (!isRecord(value)) throw bad('must be {users, guests, groups}');
      const users = value.users ?? [];
      const guests = value.guests ?? [];
      const groups = value.groups ?? [];
      if (!Array.isArray(users) || users.some((u) => !Number.isInteger(u) || !org.users.has(u as number))) throw bad('users must be ids of members');
      if (!Array.isArray(guests) || guests.some((g) => typeof g !== 'string')) throw bad('guests must be emails');
      if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string' || !org.groups.has(g))) throw bad('groups must be ids of groups');
      return { users, guests, groups };
    }
    case 'file': {
      if (!Array.isArray(value)) throw bad('must be a list of uploaded assets');
      return value.map((item) => {
        const id = isRecord(item) ? item.id : item;
        if (typeof id !== 'string' || !org.assets.has(id)) throw bad(`asset ${String(id)} was not uploaded through /file`);
        return id;
      });
    }
  }
}

/** What a read shows of a stored value: multiselect entries not `selected` read as absent; files as assets. */
export function renderValue(org: Organization, capture: Capture, stored: unknown): unknown {
  if (stored === undefined || stored === null) return null;
  if (capture.field_type === 'multiselect') return (stored as { selected: boolean }[]).filter((o) => o.selected);
  if (capture.field_type === 'file') {
    return (stored as string[]).map((id) => org.assets.get(id)).filter((a) => a !== undefined).map((a) => ({ id: a.id, filename: a.filename, version: a.version }));
  }
  return stored;
}

/** A required field counts as empty when its rendered value is null, blank or an empty list. */
export function isEmptyValue(org: Organization, capture: Capture, stored: unknown): boolean {
  const shown = renderValue(org, capture, stored);
  return shown === null || shown === '' || (Array.isArray(shown) && shown.length === 0);
}
