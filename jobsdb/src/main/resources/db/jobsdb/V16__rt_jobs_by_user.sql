-- The rt jobs of one user in job id order (issue 16): the router's catch-up reads (JobQuery.ofUsers, the
-- PostgresJobsDb WINDOW_OF_USERS window) take each user's next jobs from here instead of walking every user's jobs by
-- primary key. In a whole-suite benchmark those reads took 99 of the 370 s of database time (5,652 reads, 17.5 ms
-- each); see jobsdb README "Indexes" for the plans of every rt statement with and without it, and the cost per insert.
-- Built on every existing rt dataset here, which blocks rt writes while it builds (0.7-1.0 s per 200,000 jobs measured
-- on the shared 2-core VM; rt datasets are dropped once their jobs are done). Each stored rt job pays an index entry:
-- a COPY alone went from 52,000-59,000 to 33,000-36,000 rows/s on that VM (jobsdb/figures/plans/copy-cost.sql).
-- Datasets created later, and a compaction's copies (CREATE TABLE ... LIKE ... INCLUDING ALL), get it from the parent.
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
