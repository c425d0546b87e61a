SET jit = off;
\echo '### pickup-small-destination-from-0'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT b.*, p.event_payload FROM (
    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
FROM rt_jobs j
LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
WHERE j.job_id > 0 AND st.seen IS NULL
   AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000) UNION ALL (WITH backoff AS MATERIALIZED (
    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
           min(j.job_id) AS job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
      AND ls.job_state = 'failed' AND ls.retry_time > now()
       AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
    GROUP BY 1, 2, 3)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response,
       ls.first_attempted_at, ls.blocking_job_id
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id > 0
  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= now()))
  AND NOT EXISTS (
      SELECT 1 FROM backoff b
      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
   AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000)) u ORDER BY job_id LIMIT 1000) picked
    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
JOIN rt_jobs p ON p.job_id = b.job_id
WHERE b.running_bytes <= 9223372036854775807 OR b.rn = 1
ORDER BY b.job_id ASC;
\echo '### pickup-small-destination-from-floor'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT b.*, p.event_payload FROM (
    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
FROM rt_jobs j
LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
WHERE j.job_id > 189900 AND st.seen IS NULL
   AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000) UNION ALL (WITH backoff AS MATERIALIZED (
    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
           min(j.job_id) AS job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
      AND ls.job_state = 'failed' AND ls.retry_time > now()
       AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
    GROUP BY 1, 2, 3)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response,
       ls.first_attempted_at, ls.blocking_job_id
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id > 0
  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= now()))
  AND NOT EXISTS (
      SELECT 1 FROM backoff b
      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
   AND j.parameters->>'destination_id' = 'dst-19' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000)) u ORDER BY job_id LIMIT 1000) picked
    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
JOIN rt_jobs p ON p.job_id = b.job_id
WHERE b.running_bytes <= 9223372036854775807 OR b.rn = 1
ORDER BY b.job_id ASC;
\echo '### pickup-down-destination'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT b.*, p.event_payload FROM (
    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
FROM rt_jobs j
LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
WHERE j.job_id > 20000 AND st.seen IS NULL
   AND j.parameters->>'destination_id' = 'dst-0' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000) UNION ALL (WITH backoff AS MATERIALIZED (
    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
           min(j.job_id) AS job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
      AND ls.job_state = 'failed' AND ls.retry_time > now()
       AND j.parameters->>'destination_id' = 'dst-0' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
    GROUP BY 1, 2, 3)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response,
       ls.first_attempted_at, ls.blocking_job_id
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id > 0
  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= now()))
  AND NOT EXISTS (
      SELECT 1 FROM backoff b
      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
   AND j.parameters->>'destination_id' = 'dst-0' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000)) u ORDER BY job_id LIMIT 1000) picked
    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
JOIN rt_jobs p ON p.job_id = b.job_id
WHERE b.running_bytes <= 9223372036854775807 OR b.rn = 1
ORDER BY b.job_id ASC;
\echo '### pickup-large-destination'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT b.*, p.event_payload FROM (
    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
FROM rt_jobs j
LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
WHERE j.job_id > 189900 AND st.seen IS NULL
   AND j.parameters->>'destination_id' = 'dst-1' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000) UNION ALL (WITH backoff AS MATERIALIZED (
    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
           min(j.job_id) AS job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
      AND ls.job_state = 'failed' AND ls.retry_time > now()
       AND j.parameters->>'destination_id' = 'dst-1' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
    GROUP BY 1, 2, 3)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response,
       ls.first_attempted_at, ls.blocking_job_id
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id > 0
  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= now()))
  AND NOT EXISTS (
      SELECT 1 FROM backoff b
      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
   AND j.parameters->>'destination_id' = 'dst-1' AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY j.job_id
LIMIT 1000)) u ORDER BY job_id LIMIT 1000) picked
    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
JOIN rt_jobs p ON p.job_id = b.job_id
WHERE b.running_bytes <= 9223372036854775807 OR b.rn = 1
ORDER BY b.job_id ASC;
\echo '### failed-all'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT e.job_id, e.workspace_id, e.user_id, e.custom_val, e.parameters::text AS parameters, e.created_at,
       e.retained, e.job_state, e.attempt, e.exec_time, e.retry_time, e.error_code,
       e.error_response::text AS error_response, e.first_attempted_at, e.blocking_job_id,
       count(*) OVER () AS total
FROM (
    SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters, j.created_at, false AS retained,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code, ls.error_response,
           ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'aborted'))
      AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
    UNION ALL
    -- a kept job's latest status is its aborted one, kept beside it (V10)
    SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters, k.created_at, true AS retained,
           'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
           k.error_response, k.first_attempted_at, NULL::bigint AS blocking_job_id
    FROM rt_failed_events k
) e
WHERE e.job_state IN ('failed','aborted')
  AND (CAST(NULL AS text) IS NULL OR e.workspace_id = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.parameters->>'destination_id' = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.error_code = NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time >= NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time < NULL)
  AND (CAST(NULL AS text) IS NULL OR e.user_id = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.error_response::text ILIKE NULL ESCAPE '\')
ORDER BY e.job_id DESC
LIMIT 50 OFFSET 0;
\echo '### failed-workspace'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT e.job_id, e.workspace_id, e.user_id, e.custom_val, e.parameters::text AS parameters, e.created_at,
       e.retained, e.job_state, e.attempt, e.exec_time, e.retry_time, e.error_code,
       e.error_response::text AS error_response, e.first_attempted_at, e.blocking_job_id,
       count(*) OVER () AS total
FROM (
    SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters, j.created_at, false AS retained,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code, ls.error_response,
           ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'aborted'))
      AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
    UNION ALL
    -- a kept job's latest status is its aborted one, kept beside it (V10)
    SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters, k.created_at, true AS retained,
           'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
           k.error_response, k.first_attempted_at, NULL::bigint AS blocking_job_id
    FROM rt_failed_events k
) e
WHERE e.job_state IN ('failed','aborted')
  AND (CAST('ws-9' AS text) IS NULL OR e.workspace_id = 'ws-9')
  AND (CAST(NULL AS text) IS NULL OR e.parameters->>'destination_id' = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.error_code = NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time >= NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time < NULL)
  AND (CAST(NULL AS text) IS NULL OR e.user_id = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.error_response::text ILIKE NULL ESCAPE '\')
ORDER BY e.job_id DESC
LIMIT 50 OFFSET 0;
\echo '### failed-destination'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT e.job_id, e.workspace_id, e.user_id, e.custom_val, e.parameters::text AS parameters, e.created_at,
       e.retained, e.job_state, e.attempt, e.exec_time, e.retry_time, e.error_code,
       e.error_response::text AS error_response, e.first_attempted_at, e.blocking_job_id,
       count(*) OVER () AS total
FROM (
    SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters, j.created_at, false AS retained,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code, ls.error_response,
           ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'aborted'))
      AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
    UNION ALL
    -- a kept job's latest status is its aborted one, kept beside it (V10)
    SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters, k.created_at, true AS retained,
           'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
           k.error_response, k.first_attempted_at, NULL::bigint AS blocking_job_id
    FROM rt_failed_events k
) e
WHERE e.job_state IN ('failed','aborted')
  AND (CAST(NULL AS text) IS NULL OR e.workspace_id = NULL)
  AND (CAST('dst-19' AS text) IS NULL OR e.parameters->>'destination_id' = 'dst-19')
  AND (CAST(NULL AS text) IS NULL OR e.error_code = NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time >= NULL)
  AND (CAST(NULL AS timestamptz) IS NULL OR e.exec_time < NULL)
  AND (CAST(NULL AS text) IS NULL OR e.user_id = NULL)
  AND (CAST(NULL AS text) IS NULL OR e.error_response::text ILIKE NULL ESCAPE '\')
ORDER BY e.job_id DESC
LIMIT 50 OFFSET 0;
\echo '### search-any'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, j.event_payload, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
FROM gw_jobs j
LEFT JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM gw_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE strpos(j.event_payload, 'msg-77797') > 0
  AND (CAST(NULL AS text) IS NULL OR j.workspace_id = NULL)
ORDER BY j.job_id DESC
LIMIT 200;
\echo '### search-workspace'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, j.event_payload, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
       ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
FROM gw_jobs j
LEFT JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM gw_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE strpos(j.event_payload, 'msg-77797') > 0
  AND (CAST('ws-9' AS text) IS NULL OR j.workspace_id = 'ws-9')
ORDER BY j.job_id DESC
LIMIT 200;
\echo '### recent-workspace'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT b.*, p.event_payload FROM (
    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
    FROM (SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, ls.job_state, coalesce(ls.attempt, 0) AS attempt, ls.exec_time, ls.retry_time,
       coalesce(ls.error_code, '') AS error_code, coalesce(ls.error_response::text, '{}') AS error_response,
       ls.first_attempted_at, ls.blocking_job_id
FROM gw_jobs j
LEFT JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM gw_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id > 0
   AND j.custom_val = 'GW' AND j.workspace_id = 'ws-9'
ORDER BY j.job_id DESC
LIMIT 50) picked
    WINDOW w AS (ORDER BY picked.job_id DESC ROWS UNBOUNDED PRECEDING)) b
JOIN gw_jobs p ON p.job_id = b.job_id
WHERE b.running_bytes <= 9223372036854775807 OR b.rn = 1
ORDER BY b.job_id DESC;
