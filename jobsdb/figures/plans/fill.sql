-- A realistically filled rt and gw queue for the query plans (jobsdb README, "Indexes"): 200,000 jobs each, in
-- four datasets of 50,000 ids, 10 workspaces and 20 destinations of very different sizes. Run after the jobsdb
-- migrations (psql -f V1 .. V11, in version order), then VACUUM ANALYZE.
--   rt: dst-0 (ws-0) is down, 50% of the jobs: its users' first jobs failed (retry ahead; 1,999), its other jobs
--       among the first 20,000 ids waiting (8,821), the rest (89,180) never read; dst-1 (ws-0) 30%; dst-2..dst-19
--       about 1-2% each (ws-1..ws-9, two each).
--       Jobs of the healthy destinations up to id 190,000 succeeded (executing + succeeded rows), dst-5's every
--       7th aborted instead (400); the newest 10,000 ids are not yet picked.
--   gw: the same workspace shares; jobs up to id 195,000 processed (executing + succeeded).
SELECT jobsdb_add_dataset('rt', d, 1 + (d - 1) * 50000, 1 + d * 50000) FROM generate_series(1, 4) d;
SELECT jobsdb_add_dataset('gw', d, 1 + (d - 1) * 50000, 1 + d * 50000) FROM generate_series(1, 4) d;

CREATE TEMP TABLE spread AS
SELECT i, CASE WHEN i % 100 < 50 THEN 0 WHEN i % 100 < 80 THEN 1 ELSE 2 + (i % 100 - 80) % 18 END AS dst
FROM generate_series(1, 200000) i;

INSERT INTO rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-' || (dst / 2), gen_random_uuid(), 'u-' || (i % 1999), i % 64,
       jsonb_build_object('destination_id', 'dst-' || dst, 'source_id', 'src-' || (dst % 5),
                          'message_id', 'msg-' || i, 'received_at', '2026-11-30T00:00:00Z'),
       'WEBHOOK', repeat('x', 450) || '{"messageId":"msg-' || i || '"}', 1, 480,
       now() - interval '1 hour' + i * interval '10 ms'
FROM spread;

INSERT INTO gw_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-' || (dst / 2), gen_random_uuid(), 'u-' || (i % 1999), i % 64,
       jsonb_build_object('source_id', 'src-' || (dst % 5), 'source_job_run_id', ''),
       'GW', '{"batch":[{"type":"track","event":"Step","messageId":"msg-' || i || '","userId":"u-' || (i % 1999)
             || '","properties":{"seq":' || i || '},"context":{"library":{"name":"sdk","version":"1"}}}],'
             || '"receivedAt":"2026-11-30T00:00:00Z","requestIP":"10.0.0.1","writeKey":"wk",'
             || '"padding":"' || repeat('p', 300) || '"}', 1, 600,
       now() - interval '1 hour' + i * interval '10 ms'
FROM spread;

CREATE TEMP TABLE heads AS SELECT min(i) AS i FROM spread WHERE dst = 0 GROUP BY i % 1999;

-- rt statuses, in the order they were written (ids grow): executing, then the outcome
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'executing', 1, now() - interval '30 minutes', now() - interval '30 minutes'
FROM spread WHERE (dst > 0 AND i <= 190000) OR i IN (SELECT i FROM heads);
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code, error_response)
SELECT i,
       CASE WHEN dst = 0 THEN 'failed' WHEN dst = 5 AND i % 7 = 0 THEN 'aborted' ELSE 'succeeded' END,
       1, now() - interval '29 minutes',
       CASE WHEN dst = 0 THEN now() + interval '1 hour' ELSE now() - interval '29 minutes' END,
       CASE WHEN dst = 0 THEN '503' WHEN dst = 5 AND i % 7 = 0 THEN '400' ELSE '200' END,
       '{"response":"answer"}'
FROM rt_job_status s JOIN spread ON spread.i = s.job_id WHERE s.job_state = 'executing';
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_response, blocking_job_id)
SELECT i, 'waiting', 0, now() - interval '28 minutes', now() - interval '28 minutes',
       '{"blocking_id":1}', 1
FROM spread WHERE dst = 0 AND i <= 20000
  AND NOT EXISTS (SELECT 1 FROM rt_job_status s WHERE s.job_id = spread.i);

INSERT INTO gw_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'executing', 1, now() - interval '30 minutes', now() - interval '30 minutes' FROM spread WHERE i <= 195000;
INSERT INTO gw_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'succeeded', 1, now() - interval '29 minutes', now() - interval '29 minutes' FROM spread WHERE i <= 195000;
