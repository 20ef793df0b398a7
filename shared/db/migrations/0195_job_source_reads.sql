-- Source-side change filters for delta passes (issue 17 item 2). Per job object, when this job began
-- reading it from the source and, for a delta read with a change filter, the instant it filtered from:
--   { "<object>": { "startedAt": "<timestamptz>", "since": "<timestamptz>" | null } }
-- A delta filters from the `startedAt` of the job it follows (minus a safety margin), so a chain of
-- deltas each filters from its predecessor; an object read with `since` set was not read whole, and
-- its records absent from the read are not deletions (deleted-at-source detection skips it).
ALTER TABLE freight.jobs ADD COLUMN source_reads jsonb NOT NULL DEFAULT '{}'::jsonb;
