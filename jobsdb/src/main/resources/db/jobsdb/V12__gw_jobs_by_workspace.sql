-- The gateway jobs of one workspace, newest first: the processor's event search and its recent events filter by
-- workspace and walk job ids backwards. Without this, a search in a small workspace scans every payload of every
-- workspace (EXPLAIN ANALYZE over 200,000 gw jobs, a workspace of 2%: 18,500 pages and 700 ms before, 2,200 pages
-- and 50 ms after; jobsdb/figures/plans). The index is built on every existing gw dataset here, which blocks gw
-- writes while it builds; gw datasets are dropped as soon as the processor is done with them, so they are few.
-- rt gets no such index (nor one on parameters->>'destination_id'): measured, they did not help or made the
-- router's pickup slower (jobsdb README, "Indexes").
CREATE INDEX gw_jobs_workspace_id_job_id_idx ON gw_jobs (workspace_id, job_id);
