import type { Sql } from '../shared/db/client.ts';
import type { Logger } from '../shared/logger.ts';
import type { S3Context } from '../shared/s3.ts';

export interface ActivityDeps {
  sql: Sql;
  s3: S3Context;
  logger: Logger;
}

/** Every activity the worker registers, bound to its dependencies (tests pass their own). */
export function createActivities(_deps: ActivityDeps) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
