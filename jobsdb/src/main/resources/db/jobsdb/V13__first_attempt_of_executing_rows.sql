-- V11 filled first_attempted_at from the error document ("firstAttemptedAt") for the failed and waiting rows, not for
-- the executing ones. Crash recovery reads an executing row: a router killed during a retry before V11 ran left one
-- whose first attempt time was only in the document, and the failed row recovery writes from it would start the
-- retry window again (from that row's exec_time: the retry's start, not the first attempt's). So those rows get
-- the column too. Only a retry's executing row has the key (a first attempt's is '{}'), and a job is retried only
-- after a failed row, so the rows are found through the partial status index on failed rows. A document whose
-- value is not a timestamp (only the router wrote the key, as Instant.toString()) is left alone rather than
-- failing the migration. The kept failed events (rt_failed_event_statuses) are aborted jobs, never recovered or
-- retried, so their executing rows are not read back and stay as they are.
UPDATE rt_job_status s
SET first_attempted_at = (s.error_response->>'firstAttemptedAt')::timestamptz
WHERE s.job_state = 'executing'
  AND s.first_attempted_at IS NULL
  AND s.error_response->>'firstAttemptedAt' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$'
  AND s.job_id IN (SELECT f.job_id FROM rt_job_status f WHERE f.job_state = 'failed');
