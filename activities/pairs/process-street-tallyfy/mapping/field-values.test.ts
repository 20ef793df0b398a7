import { describe, expect, it } from 'vitest';
import { convertValue, toIsoDate } from './field-values.ts';
import { fieldRule, resolvePsMappingConfig } from './mapping-config.ts';
import { ann, context, field, ghost } from './test-fixtures.ts';

const opts = [{ value: 'opt-b', label: 'Beta' }, { value: 'opt-a', label: 'Alpha' }, { value: 'opt-c', label: 'Gamma, Delta' }];
const ctx = context();

function convert(fieldType: string, data: unknown, extra: Parameters<typeof field>[3] = {}, c = ctx) {
  const f = field('f', 't', fieldType, extra);
  return convertValue(f, fieldRule(c.config, fieldType).rule, data, c);
}

describe('convertValue', () => {
  it.each([
    ['Text', '  Hello\u200B   world ', 'Hello world'],
    ['Textarea', 'line 1\r\nline 2  \n', 'line 1\nline 2'],
    ['Email', ' Zoe@Example.COM ', 'zoe@example.com'],
    ['Url', 'https://acme.test/a?b=1', 'https://acme.test/a?b=1'],
    ['Number', 1234.5, '1234.5'],
    ['Number', '1,234', '1234'],
    ['Hidden', 'secret-ref', 'secret-ref'],
    ['Date', '2025-03-04', '2025-03-04T00:00:00.000Z'],
    ['Date', 1_700_000_000_000, '2023-11-14T22:13:20.000Z'],
    ['Date', '2025-03-04 10:30:00', '2025-03-04T10:30:00.000Z'],
  ])('%s %j → %j, nothing lost', (type, data, value) => {
    const out = convert(type, data);
    expect(out.value).toEqual(value);
    expect(out.degraded).toEqual([]);
    expect(out.summary).toBeUndefined();
  });

  it('dropdown: by option key or label, one {id, text}', () => {
    expect(convert('Select', 'opt-a', { options: opts }).value).toEqual({ id: 2, text: 'Alpha' });
    expect(convert('Select', ['gamma, delta'], { options: opts }).value).toEqual({ id: 3, text: 'Gamma, Delta' });
    const two = convert('Select', ['opt-a', 'opt-b'], { options: opts });
    expect(two.value).toEqual({ id: 2, text: 'Alpha' });
    expect(two.degraded).toHaveLength(1);
  });

  it('multiselect: keys → selected options, deduplicated; unknown ones to the summary', () => {
    const out = convert('MultiChoice', ['opt-c', 'opt-b', 'opt-c', 'nope'], { options: opts });
    expect(out.value).toEqual([{ id: 3, text: 'Gamma, Delta', selected: true }, { id: 1, text: 'Beta', selected: true }]);
    expect(out.summary).toBe('Label f: nope');
    expect(out.degraded).toEqual(['1 value(s) of "Label f" match no option; kept in the process summary']);
  });

  it('subtasks (MultiSelect): only the done items are selected', () => {
    const out = convert('MultiSelect', [{ id: 'opt-a', completed: true }, { id: 'opt-b', completed: false }, { name: 'Gamma, Delta', completed: true }], { options: opts });
    expect(out.value).toEqual([{ id: 2, text: 'Alpha', selected: true }, { id: 3, text: 'Gamma, Delta', selected: true }]);
    expect(out.degraded).toEqual([]);
  });

  it('members: resolved by PS id or email, unknown ones unresolved', () => {
    const out = convert('Members', [{ id: ann.id, email: ann.email }, 'BOB@example.com', ghost]);
    expect(out.value).toEqual({ users: [11, 12], guests: [], groups: [] });
    expect(out.unresolved).toEqual([{ kind: 'ps_user', id: ghost.id }, { kind: 'ps_user', id: 'email:ghost@example.com' }]);
    expect(out.warnings).toEqual(['"Label f": member ghost@example.com is not migrated (yet); left out']);
    expect(out.degraded).toEqual([]);
  });

  it('table: one entry per column; several rows joined and reported', () => {
    const columns = [{ id: 'c1', name: 'Item' }, { id: 'c2', name: 'Serial' }];
    expect(convert('Table', [['Laptop', 'X1']], { columns })).toMatchObject({ value: ['Laptop', 'X1'], degraded: [] });
    const rows = convert('Table', [{ c1: 'Laptop', c2: 'X1' }, { Item: 'Phone', Serial: 7 }], { columns });
    expect(rows.value).toEqual(['Laptop\nPhone', 'X1\n7']);
    expect(rows.degraded).toHaveLength(1);
    expect(convert('Table', 'Laptop,"X,1"\n', { columns }).value).toEqual(['Laptop', 'X,1']);
  });

  it('file values are named in the process summary, degraded (not re-uploaded)', () => {
    const out = convert('File', [{ id: 'f1', name: 'a.pdf', url: 'https://x' }, { id: 'f2', name: 'b.png' }]);
    expect(out.value).toBeUndefined();
    expect(out.summary).toBe('Label f: a.pdf, b.png');
    expect(out.degraded).toEqual(['value of "Label f" is a file (not re-uploaded to Tallyfy); kept in the process summary']);
  });

  it('text over 200 characters is cut, the full text kept in the summary, degraded', () => {
    const long = 'x'.repeat(230);
    const out = convert('Text', long);
    expect(out.value).toBe(`${'x'.repeat(199)}…`);
    expect(out.summary).toBe(`Label f: ${long}`);
    expect(out.degraded).toHaveLength(1);
  });

  it('messy values that fail validation go to the summary instead of a 422', () => {
    for (const [type, data] of [['Email', 'not an email'], ['Number', 'twelve'], ['Date', 'soon']] as const) {
      const out = convert(type, data);
      expect(out.value).toBeUndefined();
      expect(out.summary).toBe(`Label f: ${data}`);
      expect(out.degraded).toHaveLength(1);
    }
    expect(convert('Select', 'unknown', { options: opts }).degraded).toHaveLength(1);
  });

  it('empty values write nothing and lose nothing', () => {
    for (const [type, data] of [['Text', '  '], ['Date', null], ['MultiChoice', []], ['Members', undefined], ['Select', '']] as const) {
      const out = convert(type, data, { options: opts });
      expect(out).toEqual({ notes: [], warnings: [], degraded: [], unresolved: [] });
    }
  });

  it('a Select overridden to text writes the option label', () => {
    const c = context(undefined, resolvePsMappingConfig({ fieldTypes: { Select: 'text' } }));
    expect(convert('Select', 'opt-b', { options: opts }, c).value).toBe('Beta');
  });
});

describe('toIsoDate', () => {
  it('reads ISO, "YYYY-MM-DD HH:MM:SS", epoch ms/s; rejects junk', () => {
    expect(toIsoDate('2025-01-02T03:04:05.678Z')).toBe('2025-01-02T03:04:05.678Z');
    expect(toIsoDate('2025-01-02T03:04:05+02:00')).toBe('2025-01-02T01:04:05.000Z');
    expect(toIsoDate('1700000000')).toBe('2023-11-14T22:13:20.000Z');
    expect(toIsoDate({ value: '2025-01-02' })).toBe('2025-01-02T00:00:00.000Z');
    expect(toIsoDate('02/01/2025')).toBeNull();
    expect(toIsoDate('2025-13-45')).toBeNull();
    expect(toIsoDate(null)).toBeNull();
  });
});
