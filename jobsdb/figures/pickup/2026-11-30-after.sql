\echo ===== after: unprocessed window of dst-2 (healthy), floor 60000, no user held
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM rt_jobs j
    WHERE j.job_id > 60000  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 4000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL  AND j.parameters->>'destination_id' = 'dst-2'
    ORDER BY j.job_id
    LIMIT 1000) x ON true;
\echo ===== after: unprocessed window of dst-1 (failing), floor 59999, its 20 users held
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM rt_jobs j
    WHERE j.job_id > 59999  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 4000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL  AND j.parameters->>'destination_id' = 'dst-1' AND NOT (j.workspace_id, j.user_id) IN (SELECT h.w, h.u FROM unnest(CAST('{"ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1"}' AS text[]), CAST('{"user-0","user-1","user-2","user-3","user-4","user-5","user-6","user-7","user-8","user-9","user-10","user-11","user-12","user-13","user-14","user-15","user-16","user-17","user-18","user-19"}' AS text[])) AS h(w, u))
    ORDER BY j.job_id
    LIMIT 1000) x ON true;
\echo ===== after: unprocessed window of dst-1 (failing), its floor at the end (the next pickups), 20 users held
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM rt_jobs j
    WHERE j.job_id > 596000  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 4000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL  AND j.parameters->>'destination_id' = 'dst-1' AND NOT (j.workspace_id, j.user_id) IN (SELECT h.w, h.u FROM unnest(CAST('{"ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1"}' AS text[]), CAST('{"user-0","user-1","user-2","user-3","user-4","user-5","user-6","user-7","user-8","user-9","user-10","user-11","user-12","user-13","user-14","user-15","user-16","user-17","user-18","user-19"}' AS text[])) AS h(w, u))
    ORDER BY j.job_id
    LIMIT 1000) x ON true;
\echo ===== after: unprocessed window of the others, floor 600000
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM rt_jobs j
    WHERE j.job_id > 600000  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 4000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL  AND coalesce(j.parameters->>'destination_id', '') NOT IN ('dst-1','dst-2')
    ORDER BY j.job_id
    LIMIT 1000) x ON true;
\echo ===== after: retryable of dst-2 (healthy)
EXPLAIN (ANALYZE, BUFFERS) WITH latest AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, coalesce(j.parameters->>'destination_id', '') AS key_destination,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
           ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id = ANY (ARRAY(
              SELECT DISTINCT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting')))
      AND ls.job_state IN ('failed', 'waiting')  AND j.parameters->>'destination_id' = 'dst-2' AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)),
keyed AS (
    SELECT l.*,
           min(l.job_id) OVER k AS first_of_key,
           min(l.job_id) FILTER (WHERE l.job_state = 'failed' AND l.retry_time > now()) OVER k AS backoff_from
    FROM latest l
    WINDOW k AS (PARTITION BY l.workspace_id, l.user_id, l.key_destination))
SELECT j.* FROM keyed j
WHERE j.job_id > 0
  AND (j.job_state = 'waiting' OR j.retry_time <= now())
  AND (true = false OR j.backoff_from IS NULL OR j.job_id < j.backoff_from)
  
ORDER BY j.job_id
LIMIT 1000;
\echo ===== after: retryable of dst-1 (failing), its 20 users held
EXPLAIN (ANALYZE, BUFFERS) WITH latest AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, coalesce(j.parameters->>'destination_id', '') AS key_destination,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
           ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id = ANY (ARRAY(
              SELECT DISTINCT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting')))
      AND ls.job_state IN ('failed', 'waiting')  AND j.parameters->>'destination_id' = 'dst-1' AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)),
keyed AS (
    SELECT l.*,
           min(l.job_id) OVER k AS first_of_key,
           min(l.job_id) FILTER (WHERE l.job_state = 'failed' AND l.retry_time > now()) OVER k AS backoff_from
    FROM latest l
    WINDOW k AS (PARTITION BY l.workspace_id, l.user_id, l.key_destination))
SELECT j.* FROM keyed j
WHERE j.job_id > 0
  AND (j.job_state = 'waiting' OR j.retry_time <= now())
  AND (true = false OR j.backoff_from IS NULL OR j.job_id < j.backoff_from)
   AND (j.job_id = j.first_of_key OR NOT (j.workspace_id, j.user_id) IN (SELECT h.w, h.u FROM unnest(CAST('{"ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1","ws-1"}' AS text[]), CAST('{"user-0","user-1","user-2","user-3","user-4","user-5","user-6","user-7","user-8","user-9","user-10","user-11","user-12","user-13","user-14","user-15","user-16","user-17","user-18","user-19"}' AS text[])) AS h(w, u)))
ORDER BY j.job_id
LIMIT 1000;
\echo ===== after: retryable of the others
EXPLAIN (ANALYZE, BUFFERS) WITH latest AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
j.event_count, j.payload_size, j.created_at, coalesce(j.parameters->>'destination_id', '') AS key_destination,
           ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
           ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
    FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
    WHERE j.job_id = ANY (ARRAY(
              SELECT DISTINCT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting')))
      AND ls.job_state IN ('failed', 'waiting')  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63) AND coalesce(j.parameters->>'destination_id', '') NOT IN ('dst-1','dst-2')),
keyed AS (
    SELECT l.*,
           min(l.job_id) OVER k AS first_of_key,
           min(l.job_id) FILTER (WHERE l.job_state = 'failed' AND l.retry_time > now()) OVER k AS backoff_from
    FROM latest l
    WINDOW k AS (PARTITION BY l.workspace_id, l.user_id, l.key_destination))
SELECT j.* FROM keyed j
WHERE j.job_id > 0
  AND (j.job_state = 'waiting' OR j.retry_time <= now())
  AND (true = false OR j.backoff_from IS NULL OR j.job_id < j.backoff_from)
  
ORDER BY j.job_id
LIMIT 1000;
\echo ===== after: first unresolved (once per pickup)
EXPLAIN (ANALYZE, BUFFERS) SELECT DISTINCT ON (1, 2, 3)
       j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
       j.job_id, (ls.job_state = 'failed' AND ls.retry_time > now()) AS in_backoff,
       ls.job_state = 'failed' AS failed,
       (ls.job_state = 'failed' AND ls.error_code = 'recovered') AS recovered
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id = ANY (ARRAY(
          SELECT DISTINCT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting')))
  AND ls.job_state IN ('failed', 'waiting')
  AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
ORDER BY 1, 2, 3, j.job_id;
\echo ===== after: processor gw window, cursor 300000
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM gw_jobs j
    WHERE j.job_id > 300000  AND j.custom_val = 'GW' AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 8000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM gw_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL 
    ORDER BY j.job_id
    LIMIT 2000) x ON true;
\echo ===== after: processor gw window, cursor 0 (a rescan: 8,000 processed jobs per window)
EXPLAIN (ANALYZE, BUFFERS) WITH w AS MATERIALIZED (
    SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
j.event_count, j.payload_size, j.created_at
    FROM gw_jobs j
    WHERE j.job_id > 0  AND j.custom_val = 'GW' AND j.partition_id IN (0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63)
    ORDER BY j.job_id
    LIMIT 8000)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
    SELECT j.*
    FROM w j
    LEFT JOIN LATERAL (SELECT 1 AS seen FROM gw_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
    WHERE st.seen IS NULL 
    ORDER BY j.job_id
    LIMIT 2000) x ON true;
