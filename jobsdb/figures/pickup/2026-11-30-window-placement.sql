\set parts '0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63'
DEALLOCATE ALL;
-- dest filter inside the window (uses the expression index when present)
PREPARE win_in(bigint, int, text, text[], text[], int) AS
WITH w AS MATERIALIZED (
  SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters, j.event_count, j.payload_size, j.created_at
  FROM rt_jobs j WHERE j.job_id > $1 AND j.parameters->>'destination_id' = $3 AND j.partition_id IN (:parts)
  ORDER BY j.job_id LIMIT $2)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
  SELECT j.job_id, j.user_id, j.payload_size FROM w j
  LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
  WHERE st.seen IS NULL AND (j.workspace_id, j.user_id) NOT IN (SELECT h.w, h.u FROM unnest($4, $5) AS h(w, u))
  ORDER BY j.job_id LIMIT $6) x ON true;
-- dest filter outside the window (a walk of every destination's jobs)
PREPARE win_out(bigint, int, text, text[], text[], int) AS
WITH w AS MATERIALIZED (
  SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters, j.event_count, j.payload_size, j.created_at
  FROM rt_jobs j WHERE j.job_id > $1 AND j.partition_id IN (:parts)
  ORDER BY j.job_id LIMIT $2)
SELECT e.window_end, e.window_rows, x.* FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
LEFT JOIN LATERAL (
  SELECT j.job_id, j.user_id, j.payload_size FROM w j
  LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
  WHERE st.seen IS NULL AND j.parameters->>'destination_id' = $3 AND (j.workspace_id, j.user_id) NOT IN (SELECT h.w, h.u FROM unnest($4, $5) AS h(w, u))
  ORDER BY j.job_id LIMIT $6) x ON true;
\echo ===== window in, dst-2 from 60000
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) EXECUTE win_in(60000, 2000, 'dst-2', '{}', '{}', 1000);
\echo ===== window in, dst-1 from 59999 all users held
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE win_in(59999, 2000, 'dst-1', '{ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1,ws-1}', '{user-0,user-1,user-2,user-3,user-4,user-5,user-6,user-7,user-8,user-9,user-10,user-11,user-12,user-13,user-14,user-15,user-16,user-17,user-18,user-19}', 1000);
\echo ===== window out, dst-2 from 60000
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE win_out(60000, 2000, 'dst-2', '{}', '{}', 1000);
