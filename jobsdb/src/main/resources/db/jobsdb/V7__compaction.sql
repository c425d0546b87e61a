-- How often a dataset was compacted (its live jobs copied into new tables for the same id range) and when last,
-- for operators and the storage report.
ALTER TABLE jobsdb_datasets
    ADD COLUMN compactions  integer     NOT NULL DEFAULT 0,
    ADD COLUMN compacted_at timestamptz;
