// Types of infra/patch-postgres.mjs (plain JavaScript: it runs at postinstall, before anything is compiled).
export interface Hunk {
  name: string;
  original: string;
  patched: string;
}

export declare const BUILDS: readonly string[];
export declare const HUNKS: Readonly<Record<'connection.js' | 'index.js', readonly Hunk[]>>;

export declare function patchText(text: string, hunks: readonly Hunk[]): { text?: string; missing: string[] };

export declare function patchPostgres(
  root: string,
  warn?: (message: string) => void,
): { patched: string[]; failed: Array<{ file: string; hunks: string[] }> };
