-- V11 filled first_attempted_at from the error document ("firstAttemptedAt") for the failed and waiting rows, not for
-- the executing ones. Crash recovery reads an executing row: a router killed during a retry before V11 ran left one
-- whose first attempt time was only in the document, and the failed row recovery writes from it would start the
-- retry window again (from that row's exec_time: the retry's start, not the first attempt's). So those rows get
-- the column too. Only a retry's executing row has the key (a first attempt's is '{}'), and a job is retried only
-- after a failed row, so the rows are found through the partial status index on failed rows. A document whose
-- value is not a timestamp (only the router wrote the key, as Instant.toString()) is left alone rather than
-- failing the migration. The kept failed events (rt_failed_event_statuses) are aborted jobs, never recovered or
-- retried, so their executing rows are not read back and stay as they are. Recovery reads only a job's latest row,
-- so only an executing row that is its job's latest is rewritten (through the (job_id, id DESC) index): the executing
-- rows of finished jobs would only cost WAL and dead tuples in every dataset, in the one transaction of the start.
-- The pattern checks each field's range; a day past its month's end (2026-02-30) would still fail the cast, but only
-- Instant.toString() wrote the key, which never writes one.
-- Edited after it landed (2026-11-30, review P3-3), before any release: main was never published and no database of
-- this machine but throwaway test databases had run it (jobsdb_schema_history checked).
UPDATE rt_job_status s
SET first_attempted_at = (s.error_response->>'firstAttemptedAt')::timestamptz
WHERE s.job_state = 'executing'
  AND s.first_attempted_at IS NULL
  AND s.error_response->>'firstAttemptedAt'
      ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$'
  AND s.job_id IN (SELECT f.job_id FROM rt_job_status f WHERE f.job_state = 'failed')
  AND NOT EXISTS (SELECT 1 FROM rt_job_status n WHERE n.job_id = s.job_id AND n.id > s.id);
