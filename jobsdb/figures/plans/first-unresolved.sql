-- JobsDb.firstUnresolved (the router's blocked keys, every pickup), in two forms, all 64 partitions owned.
\echo '### first-unresolved: the latest-status test as NOT EXISTS (a later status row of the same job)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT DISTINCT ON (1, 2, 3)
       j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
       j.job_id, (s.job_state = 'failed' AND s.retry_time > now()) AS in_backoff
FROM rt_jobs j
JOIN rt_job_status s ON s.job_id = j.job_id
WHERE s.job_state IN ('failed', 'waiting')
  AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
  AND NOT EXISTS (SELECT 1 FROM rt_job_status n WHERE n.job_id = s.job_id AND n.id > s.id)
ORDER BY 1, 2, 3, j.job_id;
\echo '### first-unresolved: through the LATEST_STATUS fragment'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT DISTINCT ON (1, 2, 3)
       j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
       j.job_id, (ls.job_state = 'failed' AND ls.retry_time > now()) AS in_backoff
FROM rt_jobs j
JOIN LATERAL (
    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
           s.first_attempted_at, s.blocking_job_id
    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'waiting'))
  AND ls.job_state IN ('failed', 'waiting')
  AND j.partition_id IN (0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63)
ORDER BY 1, 2, 3, j.job_id;
