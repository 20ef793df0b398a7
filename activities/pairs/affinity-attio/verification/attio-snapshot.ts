/**
 * The Attio side of a verification: records, list entries and notes as Attio's spec shapes them
 * (only the fields verification reads are typed). Held in memory: meant for demo-sized accounts,
 * not for a 1M-record production check.
 */
export type AttioValues = Record<string, Array<Record<string, unknown>>>;

export interface AttioRecordRow {
  id: { workspace_id?: string; object_id?: string; record_id: string };
  values: AttioValues;
}

export interface AttioEntryRow {
  id: { workspace_id?: string; list_id?: string; entry_id: string };
  parent_record_id: string;
  parent_object: string;
  entry_values: AttioValues;
}

export interface AttioNoteRow {
  id: { workspace_id?: string; note_id: string };
  parent_object: string;
  parent_record_id: string;
  title: string;
  content_plaintext: string;
  content_markdown: string;
  created_at: string;
}

export interface AttioSnapshot {
  records: Map<string, AttioRecordRow[]>;
  entries: Map<string, AttioEntryRow[]>;
  notes: AttioNoteRow[];
}

/** Reads the given objects' records and lists' entries, and the workspace's notes. */
export type AttioTargetReader = (want: { objects: readonly string[]; lists: readonly string[] }) => Promise<AttioSnapshot>;

/**
 * The sandbox-only reader: the Attio sandbox's inspection endpoints (`/__sandbox/records/:object`,
 * `/__sandbox/entries/:list`, `/__sandbox/notes`), which see everything without spending the
 * workspace's read budget. Tests that inspect the sandbox itself use it; verification of a job
 * reads through the public API (attio-public-reader.ts), which a real workspace also answers.
 */
export function createInspectionReader(options: { sandboxUrl: string; adminToken?: string; fetch?: typeof fetch }): AttioTargetReader {
  return ({ objects, lists }) => readAttioSnapshot({ ...options, objects: [...objects], lists: [...lists] });
}

export async function readAttioSnapshot(options: { sandboxUrl: string; objects: string[]; lists: string[]; adminToken?: string; fetch?: typeof fetch }): Promise<AttioSnapshot> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = options.adminToken ? { 'x-sandbox-admin-token': options.adminToken } : {};
  const all = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    const limit = 10_000;
    for (let offset = 0; ; offset += limit) {
      const res = await doFetch(`${options.sandboxUrl}/__sandbox/${path}?limit=${limit}&offset=${offset}`, { headers });
      if (!res.ok) throw new Error(`sandbox inspection ${path} answered ${res.status}`);
      const body = (await res.json()) as { data: T[]; total: number };
      out.push(...body.data);
      if (offset + limit >= body.total) return out;
    }
  };
  const records = new Map<string, AttioRecordRow[]>();
  for (const object of options.objects) records.set(object, await all<AttioRecordRow>(`records/${object}`));
  const entries = new Map<string, AttioEntryRow[]>();
  for (const list of options.lists) entries.set(list, await all<AttioEntryRow>(`entries/${list}`));
  return { records, entries, notes: await all<AttioNoteRow>('notes') };
}
