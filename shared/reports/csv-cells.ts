/**
 * CSV formula injection (CWE-1236): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
 * (and, in some, a tab or carriage return) as a formula. Exported text cells that start so are
 * prefixed with a single quote, which spreadsheets show as text; numbers are left alone. Readers
 * that want the raw value drop one leading `'` from such cells.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** csv-stringify options shared by every export: header row, guarded strings, ISO dates, CRLF-free. */
export function csvOptions(columns: readonly string[]) {
  return {
    header: true,
    columns: [...columns],
    cast: {
      string: (value: string) => guardFormula(value),
      date: (value: Date) => value.toISOString(),
      boolean: (value: boolean) => (value ? 'true' : 'false'),
    },
  };
}
