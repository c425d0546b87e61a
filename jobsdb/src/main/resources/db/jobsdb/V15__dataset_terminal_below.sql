-- Per dataset, an id below which every job of the dataset is terminal, as far as maintenance has found (NULL: not
-- looked at yet, read as min_job_id). Terminal is final, so it only rises, and a value read stays true. Crash
-- recovery reads only the jobs at or above it (review 0805 P3-3): before, it read every executing status row of
-- every live dataset, one per job and attempt ever made.
ALTER TABLE jobsdb_datasets ADD COLUMN terminal_below bigint;
