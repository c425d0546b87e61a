-- rt shaped like the whole-suite benchmark's (bench/e2e.sh: 192 users of one workspace, one WEBHOOK destination,
-- rows of about 1.4 kB), under fill.sql's names so that PlanQueries.java binds it (users u-0 .. u-191 of ws-0,
-- destination dst-1): 200,000 jobs in two datasets of 100,000 ids; the jobs up to id 190,000 delivered (executing +
-- succeeded), the newest 10,000 not picked yet. For the catch-up windows: PlanQueries.java catch-up.
-- Run after the jobsdb migrations (setup.sh <db> 15), then VACUUM ANALYZE.
SELECT jobsdb_add_dataset('rt', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(1, 2) d;
INSERT INTO rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload,
                     event_count, payload_size, created_at)
SELECT i, 'ws-0', gen_random_uuid(), 'u-' || (i % 192), (i % 192) % 64,
       jsonb_build_object('destination_id', 'dst-1', 'source_id', 'src-1', 'message_id', 'msg-' || i,
                          'received_at', '2026-11-30T00:00:00Z', 'source_job_run_id', '', 'source_task_run_id', '',
                          'record_id', null, 'event_name', 'Step', 'event_type', 'track', 'gateway_job_id', i,
                          'source_category', '', 'destination_type', 'WEBHOOK'),
       'WEBHOOK', repeat('x', 700) || '{"messageId":"msg-' || i || '"}', 1, 730,
       now() - interval '1 hour' + i * interval '10 ms'
FROM generate_series(1, 200000) i;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time)
SELECT i, 'executing', 1, now() - interval '30 minutes', now() - interval '30 minutes' FROM generate_series(1, 190000) i;
INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_code, error_response)
SELECT i, 'succeeded', 1, now() - interval '29 minutes', now() - interval '29 minutes', '200', '{"response":"OK"}'
FROM generate_series(1, 190000) i;
