-- The status fields the router reads back, as columns: when the job was first attempted (its retry window counts
-- from it) and, for a waiting job, the earlier job of its user it waits behind. They were only keys of
-- error_response ("firstAttemptedAt", "blocking_id"), parsed back out of the JSON on every pickup. The router still
-- writes those keys, for people (RudderStack's document shape); nothing reads them any more.
CREATE FUNCTION jobsdb_type_status(status_table text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I ADD COLUMN first_attempted_at timestamptz, ADD COLUMN blocking_job_id bigint',
                   status_table);
END $$;
SELECT jobsdb_type_status(t)
FROM (VALUES ('gw_job_status'), ('rt_job_status'), ('batch_rt_job_status'), ('arc_job_status'),
             ('rt_failed_event_statuses')) v(t);
ALTER TABLE rt_failed_events ADD COLUMN first_attempted_at timestamptz; -- of its aborted status, as the others

-- A queue created from now on gets the columns too.
ALTER FUNCTION jobsdb_create_queue(text) RENAME TO jobsdb_create_queue_v1;
CREATE FUNCTION jobsdb_create_queue(prefix text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobsdb_create_queue_v1(prefix);
    PERFORM jobsdb_type_status(prefix || '_job_status');
END $$;

-- Jobs still being retried or waiting keep what the router recorded (only it wrote these keys, Instant.toString()
-- and a number); the failed and waiting rows are few, found through the partial index on those states.
UPDATE rt_job_status
SET first_attempted_at = CASE WHEN error_response ? 'firstAttemptedAt'
                              THEN (error_response->>'firstAttemptedAt')::timestamptz END,
    blocking_job_id = CASE WHEN job_state = 'waiting' AND jsonb_typeof(error_response->'blocking_id') = 'number'
                           THEN (error_response->>'blocking_id')::bigint END
WHERE job_state IN ('failed', 'waiting')
  AND (error_response ? 'firstAttemptedAt' OR error_response ? 'blocking_id');
-- the kept copies of such rows alike, so a job read from both places (during a compaction) shows each row once
UPDATE rt_failed_event_statuses
SET first_attempted_at = CASE WHEN error_response ? 'firstAttemptedAt'
                              THEN (error_response->>'firstAttemptedAt')::timestamptz END,
    blocking_job_id = CASE WHEN job_state = 'waiting' AND jsonb_typeof(error_response->'blocking_id') = 'number'
                           THEN (error_response->>'blocking_id')::bigint END
WHERE job_state IN ('failed', 'waiting')
  AND (error_response ? 'firstAttemptedAt' OR error_response ? 'blocking_id');

-- The last good workspace config moved to the workspace-config module's workspace_config_cache, whose migration
-- copies this table's rows. Dropped once that table exists (so its copy has committed); if this runs first, the
-- workspace-config module drops it after its copy.
DO $$
BEGIN
    IF to_regclass('workspace_config_cache') IS NOT NULL THEN
        DROP TABLE IF EXISTS config_cache;
    END IF;
END $$;
