-- The aborted status of each kept job beside the job, so the router's failed-events list reads one row per job
-- (no lookup of the latest status per row), and an index for its usual filter, the workspace.
ALTER TABLE rt_failed_events
    ADD COLUMN attempt        smallint    NOT NULL DEFAULT 0,
    ADD COLUMN retry_time     timestamptz,
    ADD COLUMN error_code     varchar(32) NOT NULL DEFAULT '',
    ADD COLUMN error_response jsonb       NOT NULL DEFAULT '{}';
UPDATE rt_failed_events k
SET attempt = s.attempt, retry_time = s.retry_time, error_code = s.error_code, error_response = s.error_response
FROM (SELECT DISTINCT ON (job_id) job_id, attempt, retry_time, error_code, error_response
      FROM rt_failed_event_statuses ORDER BY job_id, id DESC) s
WHERE s.job_id = k.job_id;
UPDATE rt_failed_events SET retry_time = aborted_at WHERE retry_time IS NULL;
ALTER TABLE rt_failed_events ALTER COLUMN retry_time SET NOT NULL;
CREATE INDEX ON rt_failed_events (workspace_id, job_id);
