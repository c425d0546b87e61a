-- Each statement as CrashRecovery sends it for partitions 0-31 (EXPLAIN (ANALYZE, BUFFERS) inside a transaction
-- that is rolled back, so every run sees the same rows). "before": the statements of main @ 55ee6db; "after": the
-- per-dataset statements, one per range from jobsdb_datasets.terminal_below, which maintenance records for the
-- closed datasets (here set as its pass would: the first job without a terminal row).
\timing off
UPDATE jobsdb_datasets d SET terminal_below = coalesce(
    (SELECT min(j.job_id) FROM gw_jobs j WHERE j.job_id >= d.min_job_id AND j.job_id < d.max_job_id
       AND NOT EXISTS (SELECT 1 FROM gw_job_status s WHERE s.job_id = j.job_id
                       AND s.job_state IN ('succeeded', 'aborted', 'filtered'))), d.max_job_id)
WHERE d.queue = 'gw' AND d.idx < 6;
UPDATE jobsdb_datasets d SET terminal_below = coalesce(
    (SELECT min(j.job_id) FROM rt_jobs j WHERE j.job_id >= d.min_job_id AND j.job_id < d.max_job_id
       AND NOT EXISTS (SELECT 1 FROM rt_job_status s WHERE s.job_id = j.job_id
                       AND s.job_state IN ('succeeded', 'aborted', 'filtered'))), d.max_job_id)
WHERE d.queue = 'rt' AND d.idx < 4;
SELECT queue, idx, min_job_id, max_job_id, terminal_below FROM jobsdb_datasets ORDER BY queue, idx;
