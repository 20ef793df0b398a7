import type { PsTemplateField, PsUserRef, SourceKey } from '../contract.ts';
import type { FieldRule } from './mapping-config.ts';
import { optionsOf } from './field-types.ts';
import { resolveUser, userKeys } from './keys.ts';
import { charLength, cleanMultiline, cleanText, normalizeEmail, truncate } from './text.ts';
import type { PsMapContext } from './types.ts';

/**
 * One PS value converted to Tallyfy's write shape (`taskdata` = `prerun`, reference "Field types"):
 * text/textarea string, date ISO, dropdown `{id, text}`, radio option text, multiselect
 * `[{id, text, selected: true}]`, table flat list (one entry per column), assignees_form
 * `{users, guests, groups}`. PS read shapes of Date, Members, File, Table and MultiSelect are
 * undocumented (inferred): several plausible shapes are accepted. What cannot be written goes to
 * `summary` (the run summary) with a degraded reason, so it is not silently lost.
 */
export interface ConvertedValue {
  /** Absent: nothing to write (empty value, file value, or moved to the summary). */
  value?: unknown;
  summary?: string;
  notes: string[];
  warnings: string[];
  degraded: string[];
  unresolved: SourceKey[];
}

export function convertValue(field: PsTemplateField, rule: FieldRule, data: unknown, ctx: PsMapContext): ConvertedValue {
  const out: ConvertedValue = { notes: [], warnings: [], degraded: [], unresolved: [] };
  const label = cleanText(field.label) || field.key;
  const text = textOf(data, field);
  if (isEmpty(data) || (rule.to !== 'file' && rule.to !== 'assignees_form' && text === '')) return out;
  const toSummary = (why: string, shown = text): ConvertedValue => {
    out.degraded.push(`value of "${label}" ${why}; kept in the process summary`);
    out.summary = `${label}: ${shown}`;
    return out;
  };

  switch (rule.to) {
    case 'text':
    case 'email': {
      const flat = cleanText(text);
      if (rule.to === 'email' || rule.validation.includes('email')) {
        if (!normalizeEmail(flat)) return toSummary('is not a valid email for the email validation', flat);
        return { ...out, value: normalizeEmail(flat) };
      }
      if (rule.validation.includes('numeric') && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(flat.replace(/,/g, ''))) return toSummary('is not numeric', flat);
      const value = rule.validation.includes('numeric') ? flat.replace(/,/g, '') : flat;
      if (charLength(value) > ctx.config.textMaxChars) {
        out.degraded.push(`value of "${label}" cut to ${ctx.config.textMaxChars} characters (Tallyfy text limit); full text in the process summary`);
        out.summary = `${label}: ${value}`;
        return { ...out, value: truncate(value, ctx.config.textMaxChars) };
      }
      return { ...out, value };
    }
    case 'textarea': {
      const value = typeof data === 'string' ? cleanMultiline(data) : text;
      if (charLength(value) <= ctx.config.textareaMaxChars) return { ...out, value };
      out.degraded.push(`value of "${label}" cut to ${ctx.config.textareaMaxChars} characters (Tallyfy textarea limit)`);
      return { ...out, value: truncate(value, ctx.config.textareaMaxChars) };
    }
    case 'date': {
      const iso = toIsoDate(data);
      return iso ? { ...out, value: iso } : toSummary('is not a readable date');
    }
    case 'dropdown':
    case 'radio': {
      const wanted = listOf(data);
      const option = wanted.length > 0 ? findOption(field, wanted[0]) : undefined;
      if (!option) return toSummary('matches none of the options');
      if (wanted.length > 1) out.degraded.push(`"${label}" had ${wanted.length} values; Tallyfy ${rule.to} keeps one ("${option.text}")`);
      return { ...out, value: rule.to === 'radio' ? option.text : { id: option.id, text: option.text } };
    }
    case 'multiselect': {
      const chosen: Array<{ id: number; text: string; selected: true }> = [];
      const unknown: string[] = [];
      for (const item of listOf(data)) {
        if (isObject(item) && (item.completed === false || item.checked === false || item.selected === false)) continue;
        const option = findOption(field, item);
        if (!option) unknown.push(textOf(item, field));
        else if (!chosen.some((c) => c.id === option.id)) chosen.push({ id: option.id, text: option.text, selected: true });
      }
      if (unknown.length > 0) {
        out.degraded.push(`${unknown.length} value(s) of "${label}" match no option; kept in the process summary`);
        out.summary = `${label}: ${unknown.join(', ')}`;
      }
      return chosen.length > 0 ? { ...out, value: chosen } : out;
    }
    case 'assignees_form': {
      const users: number[] = [];
      for (const item of listOf(data)) {
        const ref = personOf(item);
        if (!ref) {
          out.warnings.push(`"${label}": unreadable member ${JSON.stringify(item)}`);
          continue;
        }
        const id = resolveUser(ref, ctx);
        if (id === null) {
          out.unresolved.push(...userKeys(ref, ctx));
          out.warnings.push(`"${label}": member ${ref.email ?? ref.id} is not migrated (yet); left out`);
        } else if (!users.includes(id)) users.push(id);
      }
      return users.length > 0 ? { ...out, value: { users, guests: [], groups: [] } } : out;
    }
    case 'table': {
      const rows = tableRows(data, field);
      if (rows.length === 0) return toSummary('is not a readable table');
      // Tallyfy takes one entry per column (several rows: undocumented), so a column's cells are joined.
      const value = field.columns.map((_, c) => rows.map((r) => r[c] ?? '').join('\n'));
      if (rows.length > 1) out.degraded.push(`table "${label}" has ${rows.length} rows; each column's cells are joined into one entry`);
      return { ...out, value };
    }
    case 'file': {
      // Not re-uploaded: the attachments phase moves PS attachments (GET /attachments), which do not
      // include form-field files, and a run's write has no upload step. Named in the summary, degraded.
      const names = listOf(data).map((f) => (isObject(f) ? cleanText(f.name ?? f.fileName) : cleanText(f))).filter((n) => n !== '');
      return toSummary('is a file (not re-uploaded to Tallyfy)', names.join(', ') || text);
    }
    case 'summary':
    case 'skip':
      // Decided by the caller from the field plan: no capture to write.
      return out;
  }
}

function isEmpty(data: unknown): boolean {
  return data === null || data === undefined || data === '' || (Array.isArray(data) && data.length === 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A single value or list as a list; comma-separated strings are not split (option labels may hold commas). */
export function listOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data.filter((d) => !isEmpty(d));
  if (isObject(data) && Array.isArray(data.values)) return listOf(data.values);
  return isEmpty(data) ? [] : [data];
}

const SCALAR_KEYS = ['value', 'label', 'name', 'text', 'email', 'url', 'username', 'id'] as const;

/** Any PS value as readable text: option keys become labels, lists are joined, objects give their best scalar. */
export function textOf(data: unknown, field: Pick<PsTemplateField, 'options'>): string {
  if (typeof data === 'string') return field.options.length > 0 ? (findOption(field, data)?.text ?? cleanMultiline(data)) : cleanMultiline(data);
  if (typeof data === 'number') return Number.isFinite(data) ? String(data) : '';
  if (typeof data === 'boolean') return data ? 'yes' : 'no';
  if (Array.isArray(data)) return data.map((d) => textOf(d, field)).filter((t) => t !== '').join(', ');
  if (isObject(data)) {
    for (const k of SCALAR_KEYS) if (typeof data[k] === 'string' || typeof data[k] === 'number') return textOf(data[k], field);
    return JSON.stringify(data);
  }
  return '';
}

function findOption(field: Pick<PsTemplateField, 'options'>, item: unknown): { id: number; text: string } | undefined {
  const options = optionsOf(field);
  const candidates = isObject(item) ? SCALAR_KEYS.map((k) => item[k]).filter((v) => typeof v === 'string' || typeof v === 'number') : [item];
  for (const c of candidates.map((v) => cleanText(String(v)))) {
    const hit = options.find((o) => o.value === c) ?? options.find((o) => o.text.toLowerCase() === c.toLowerCase());
    if (hit) return { id: hit.id, text: hit.text };
  }
  return undefined;
}

export function personOf(item: unknown): PsUserRef | null {
  if (typeof item === 'string') {
    const email = normalizeEmail(item);
    return email ? { id: `email:${email}`, email, username: null } : cleanText(item) ? { id: cleanText(item), email: null, username: null } : null;
  }
  if (isObject(item) && (typeof item.id === 'string' || typeof item.email === 'string')) {
    const email = typeof item.email === 'string' ? item.email : null;
    return { id: typeof item.id === 'string' ? item.id : `email:${normalizeEmail(email) ?? ''}`, email, username: typeof item.username === 'string' ? item.username : null };
  }
  return null;
}

/** ISO-8601 UTC from an ISO/"YYYY-MM-DD HH:MM:SS" string or epoch milliseconds; null when unreadable. */
export function toIsoDate(data: unknown): string | null {
  const raw = isObject(data) ? (data.value ?? data.date) : data;
  let ms: number;
  if (typeof raw === 'number') ms = raw;
  else if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw.trim())) {
    const s = raw.trim().replace(' ', 'T');
    ms = Date.parse(/T/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? `${s}Z` : s);
  } else if (typeof raw === 'string' && /^\d{10,13}$/.test(raw.trim())) ms = Number(raw.trim()) * (raw.trim().length === 10 ? 1000 : 1);
  else return null;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999 ? d.toISOString() : null;
}

/** Table rows as cells in column order: arrays, objects keyed by column id or name, or CSV text (PS's write form). */
function tableRows(data: unknown, field: PsTemplateField): string[][] {
  if (typeof data === 'string') return data.split(/\r?\n/).filter((l) => l.trim() !== '').map(splitCsvLine);
  if (!Array.isArray(data)) return [];
  return data.flatMap((row): string[][] => {
    if (Array.isArray(row)) return [row.map((c) => textOf(c, { ...field, options: [] }))];
    if (isObject(row)) return [field.columns.map((c) => textOf(row[c.id] ?? row[c.name], { ...field, options: [] }))];
    return [];
  });
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') { cell += '"'; i += 1; }
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { cells.push(cell.trim()); cell = ''; }
    else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}
