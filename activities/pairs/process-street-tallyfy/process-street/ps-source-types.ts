import type { ErrorKind } from '../../../../shared/error-kinds.ts';
import type { PsObject, PsRecord, SourceKey } from '../contract.ts';

/** A record the source listed but could not read (404 meanwhile, malformed): logged as skipped, not a batch failure. */
export interface PsSkipped {
  source: SourceKey;
  /** not_found or validation in practice. */
  kind: ErrorKind;
  reason: string;
}

export interface PsSourcePage {
  records: PsRecord[];
  skipped: PsSkipped[];
  /** null when the object is exhausted; a non-null cursor may lead to an empty page. */
  nextCursor: string | null;
  /** Things the runtime should surface to the user (e.g. the key has no SCIM: zero groups). */
  warnings: string[];
}

export interface PsReadOptions {
  /** Records wanted; whole API pages of 20 are read while another fits (at least one is). */
  pageSize?: number;
  signal?: AbortSignal;
}

export type { PsObject };
