import { hashInts } from '../../core/prng.ts';
import type { StoredFile } from './types.ts';

const KINDS = [
  { ext: 'pdf', mimeType: 'application/pdf', head: '%PDF-1.4\n' },
  { ext: 'txt', mimeType: 'text/plain', head: '' },
  { ext: 'png', mimeType: 'image/png', head: '\x89PNG\r\n\x1a\n' },
  { ext: 'csv', mimeType: 'text/csv', head: 'item,quantity\n' },
] as const;

/**
 * A small file with deterministic bytes (a header of the claimed type, then text naming the file): enough
 * for a migrator to download, checksum and re-upload, not a valid document of that type.
 */
export function makeFile(seed: number, id: string, baseName: string, salt: number): StoredFile {
  const kind = KINDS[hashInts(seed, salt) % KINDS.length] as (typeof KINDS)[number];
  const lines = 1 + (hashInts(seed, salt, 1) % 8);
  const body = Array.from({ length: lines }, (_, i) => `${baseName} line ${i + 1} of ${lines} (${id})`).join('\n');
  const bytes = Buffer.from(`${kind.head}${body}\n`, 'latin1');
  return { id, fileName: `${baseName}.${kind.ext}`, mimeType: kind.mimeType, size: bytes.length, bytes };
}

/** The metadata a File/MultiFile/Document value carries (its `url` is added when served). */
export const fileMeta = (file: StoredFile) => ({ id: file.id, name: file.fileName, mimeType: file.mimeType, size: file.size });
