import type { PsRecord, TallyfyWrite } from '../contract.ts';
import { mapAttachment } from './map-attachment.ts';
import { mapComment } from './map-comment.ts';
import { mapGroup } from './map-group.ts';
import { mapRun } from './map-run.ts';
import { mapUser } from './map-user.ts';
import { mapWorkflow } from './map-workflow.ts';
import type { PsMapContext, PsMapOutcome } from './types.ts';

/** Maps any Process Street record to its Tallyfy write intent. */
export function mapPsRecord(record: PsRecord, ctx: PsMapContext): PsMapOutcome<TallyfyWrite> {
  switch (record.kind) {
    case 'users':
      return mapUser(record, ctx);
    case 'groups':
      return mapGroup(record, ctx);
    case 'workflows':
      return mapWorkflow(record, ctx);
    case 'runs':
      return mapRun(record, ctx);
    case 'comments':
      return mapComment(record, ctx);
    case 'attachments':
      return mapAttachment(record, ctx);
  }
}
