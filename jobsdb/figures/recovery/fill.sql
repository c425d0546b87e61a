-- Crash recovery's reads (jobsdb README, "Crash recovery"; review 0805 P3-3), on the two shapes the storage soak of
-- 2026-11-30 went through. Run after the jobsdb migrations (psql -f V1 .. V15, in version order), then VACUUM
-- ANALYZE. 20 users, so 20 of the 64 partitions; a replica regaining half the partitions recovers partitions 0-31.
--   gw, the processor behind (the third 1M attempt, when a processor regained its partitions under a backlog):
--       datasets 3-6 of 100,000 ids (1 and 2, fully processed, were dropped by maintenance); jobs up to 250,000
--       processed (executing + succeeded), 250,001-252,000 in flight (executing), the rest not read yet.
--   rt, one destination down (the soak's outage): datasets 1-4 of 100,000 ids, every even job for the healthy
--       destination, every odd one for the failing one. The healthy one's jobs up to 390,000 delivered (executing
--       + succeeded), 390,001-390,500 in flight (executing); each user's first failing job tried 30 times (executing
--       + failed each time), the failing destination's other jobs never read (their users are held).
SELECT jobsdb_add_dataset('gw', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(3, 6) d;
SELECT jobsdb_add_dataset('rt', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(1, 4) d;
SELECT setval('gw_job_id_seq', 600000), setval('rt_job_id_seq', 400000);

INSERT INTO gw_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-1', gen_random_uuid(), 'u-' || (i % 20), i % 20, '{"source_id":"src-1"}', 'GW',
       '{"batch":[{"type":"track","event":"Step","userId":"u-' || (i % 20) || '","properties":{"seq":' || i
             || '}}],"padding":"' || repeat('p', 300) || '"}', 1, 400, now() - interval '1 hour'
FROM generate_series(200001, 600000) i;
INSERT INTO gw_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'executing', 1, now() - interval '30 minutes', now() - interval '30 minutes'
FROM generate_series(200001, 252000) i;
INSERT INTO gw_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'succeeded', 1, now() - interval '29 minutes', now() - interval '29 minutes'
FROM generate_series(200001, 250000) i;

INSERT INTO rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-1', gen_random_uuid(), 'u-' || (i / 2 % 20), i / 2 % 20,
       jsonb_build_object('destination_id', CASE WHEN i % 2 = 0 THEN 'dst-healthy' ELSE 'dst-failing' END),
       'WEBHOOK', '{"event":"Step","seq":' || i || ',"padding":"' || repeat('p', 300) || '"}', 1, 350,
       now() - interval '1 hour'
FROM generate_series(1, 400000) i;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'executing', 1, now() - interval '30 minutes', now() - interval '30 minutes'
FROM generate_series(2, 390500, 2) i;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code)
SELECT i, 'succeeded', 1, now() - interval '29 minutes', now() - interval '29 minutes', '200'
FROM generate_series(2, 390000, 2) i;
-- the failing destination's first job of each user (ids 1, 3, ..., 39), 30 attempts
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code, first_attempted_at)
SELECT h, s.state, a, now() - interval '30 minutes' + a * interval '1 minute',
       now() - interval '30 minutes' + a * interval '1 minute' + interval '2 s',
       CASE WHEN s.state = 'failed' THEN '503' ELSE '' END, now() - interval '30 minutes'
FROM generate_series(1, 39, 2) h, generate_series(1, 30) a, (VALUES (1, 'executing'), (2, 'failed')) s(o, state)
ORDER BY a, h, s.o;
