-- The storage soak's rt and gw queues at the moment the lead stopped it (2026-11-30 06:20, main @ 5182653), for the
-- pickup's plans (jobsdb README "Pickup cost"). Run after the jobsdb migrations (V1.. in version order), then
-- VACUUM ANALYZE. 600,000 rt jobs in six datasets of 100,000 ids: each event is two rt jobs, the odd id for
-- dst-1 (answers 503 to everything), the even id for dst-2 (healthy); 20 users, one workspace, payloads of ~1 KB.
--   dst-2: its jobs up to id 60,000 delivered (executing + succeeded rows), the rest never read.
--   dst-1: each user's first job failed 30 times (executing + failed rows; 10 users in backoff, 10 due now),
--          its other jobs up to id 60,000 waiting behind it, the rest (270,000) never read.
--   gw: 600,000 jobs in six datasets, the first 300,000 processed (executing + succeeded rows).
SELECT jobsdb_add_dataset('rt', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(1, 6) d;
SELECT jobsdb_add_dataset('gw', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(1, 6) d;

INSERT INTO rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-1', gen_random_uuid(), 'user-' || (i / 2 % 20), (i / 2 % 20) * 3,
       jsonb_build_object('destination_id', 'dst-' || (2 - i % 2), 'source_id', 'src-1',
                          'message_id', 'msg-' || (i / 2), 'received_at', '2026-11-30T06:15:00Z'),
       'WEBHOOK', '{"messageId":"msg-' || (i / 2) || '","padding":"' || repeat('x', 900) || '"}', 1, 940,
       now() - interval '5 minutes' + i * interval '0.5 ms'
FROM generate_series(1, 600000) i;

INSERT INTO gw_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-1', gen_random_uuid(), 'user-' || (i % 20), (i % 20) * 3,
       jsonb_build_object('source_id', 'src-1', 'source_job_run_id', ''),
       'GW', '{"batch":[{"type":"track","event":"Step","messageId":"msg-' || i || '","userId":"user-' || (i % 20)
             || '","properties":{"seq":' || i || '}}],"receivedAt":"2026-11-30T06:15:00Z","writeKey":"wk",'
             || '"padding":"' || repeat('p', 400) || '"}', 1, 540,
       now() - interval '5 minutes' + i * interval '0.5 ms'
FROM generate_series(1, 600000) i;

-- rt statuses in the order they were written (ids grow)
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code)
SELECT i, s, 1, now() - interval '4 minutes', now() - interval '4 minutes', CASE WHEN s = 'succeeded' THEN '200' ELSE '' END
FROM generate_series(2, 60000, 2) i, unnest(ARRAY['executing', 'succeeded']) s;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code, error_response, first_attempted_at)
SELECT h, s, a, now() - interval '4 minutes' + a * interval '5 s',
       CASE WHEN s = 'executing' THEN now() WHEN a < 30 OR h % 4 = 1 THEN now() - interval '1 s' ELSE now() + interval '1 hour' END,
       CASE WHEN s = 'failed' THEN '503' ELSE '' END, '{"response":"unavailable"}', now() - interval '4 minutes'
FROM generate_series(1, 39, 2) h, generate_series(1, 30) a, unnest(ARRAY['executing', 'failed']) s;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_response, blocking_job_id)
SELECT i, 'waiting', 0, now() - interval '3 minutes', now() - interval '3 minutes',
       jsonb_build_object('blocking_id', (i / 2 % 20) * 2 + 1), (i / 2 % 20) * 2 + 1
FROM generate_series(41, 60000, 2) i;

INSERT INTO gw_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, s, 1, now() - interval '4 minutes', now() - interval '4 minutes'
FROM generate_series(1, 300000) i, unnest(ARRAY['executing', 'succeeded']) s;
