-- A job's estimated total is refined while it runs (jobs.estimated_total, written by the worker as
-- each extracted page is recorded): the call plan's count of an object kind gives way to the count
-- read once that kind is exhausted, and a job whose pair makes no plan gets its total once every
-- kind is read. A total that grows (the plan counted fewer than there were) would pull the percent
-- back: `percent_floor` keeps the percent shown before each change, so the percent never decreases.
ALTER TABLE freight.jobs ADD COLUMN percent_floor real NOT NULL DEFAULT 0;
-- What the estimate rests on: 'call_plan' (the plan's counts, refined kind by kind) or 'extracted'
-- (every kind read to its end: exact). NULL with an estimate = a job created before this column: its
-- estimate is the call plan's.
ALTER TABLE freight.jobs ADD COLUMN estimate_basis text NULL CHECK (estimate_basis IN ('call_plan', 'extracted'));
