import type { AttioClient } from '../attio/attio-client.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { NOT_FOUND } from '../../../../shared/error-kinds.ts';
import type { AttioEntryRow, AttioNoteRow, AttioRecordRow, AttioSnapshot, AttioTargetReader } from './attio-snapshot.ts';

export interface PublicReaderOptions {
  client: AttioClient;
  /** Page size of the records/entries queries: the spec's default (500), so pages are as few as Attio allows. */
  queryLimit?: number;
  /** Page size of `GET /v2/notes`: the spec's maximum is 50. */
  notesLimit?: number;
  signal?: AbortSignal;
}

/** What `POST …/records/query` and `…/entries/query` answer (spec: `{ data: [...] }`, no total, no cursor). */
interface DataPage<T> {
  data: T[];
}

/**
 * Reads a page at a time until a page is shorter than the limit: Attio's limit/offset pagination
 * gives neither a total nor a cursor, so a short page is the only end marker the spec offers.
 */
export async function readAllPages<T>(limit: number, page: (offset: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += limit) {
    const rows = await page(offset);
    out.push(...rows);
    if (rows.length < limit) return out;
  }
}

/**
 * The Attio side of a verification read through Attio's documented endpoints only, so the same
 * check runs against a customer's real workspace: `POST /v2/objects/{object}/records/query`,
 * `POST /v2/lists/{list}/entries/query` and `GET /v2/notes`. Every call goes through the Attio
 * client, so it is paced by the workspace's read budget and (for the two queries) by the query
 * score budget, exactly like the job's own reads, and shares them with any job still running.
 * Rows are kept as the spec shapes them; nothing beyond the spec's fields is read.
 */
export function createPublicAttioReader(options: PublicReaderOptions): AttioTargetReader {
  const { client, signal } = options;
  const queryLimit = options.queryLimit ?? 500;
  const notesLimit = options.notesLimit ?? 50;

  const query = <T>(path: string): Promise<T[]> =>
    readAllPages(queryLimit, async (offset) =>
      (await client.request<DataPage<T>>('POST', path, { body: { limit: queryLimit, offset }, ...(signal ? { signal } : {}) })).data);

  /**
   * An object or list the plan names but the workspace lacks (404) holds nothing: verification then
   * reports its records missing, which says more than failing the whole check would.
   */
  const rowsOf = async <T>(path: string): Promise<T[]> => {
    try {
      return await query<T>(path);
    } catch (error) {
      if (isConnectorError(error) && error.kind === NOT_FOUND) return [];
      throw error;
    }
  };

  return async ({ objects, lists }): Promise<AttioSnapshot> => {
    const records = new Map<string, AttioRecordRow[]>();
    for (const object of objects) records.set(object, await rowsOf<AttioRecordRow>(`/objects/${encodeURIComponent(object)}/records/query`));
    const entries = new Map<string, AttioEntryRow[]>();
    for (const list of lists) entries.set(list, await rowsOf<AttioEntryRow>(`/lists/${encodeURIComponent(list)}/entries/query`));
    // Every note of the workspace, unfiltered: a filter per parent would cost one call per record.
    const notes = await readAllPages(notesLimit, async (offset) =>
      (await client.request<DataPage<AttioNoteRow>>('GET', '/notes', { query: { limit: notesLimit, offset }, ...(signal ? { signal } : {}) })).data);
    return { records, entries, notes };
  };
}
