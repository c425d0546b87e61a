-- The write cost of V16's rt_jobs (workspace_id, user_id, job_id) index (jobsdb README, "Indexes"): COPY of
-- 200,000 rt jobs shaped like fill.sql's (192 users, 10 workspaces, 480-byte payloads, ids in two datasets of
-- 100,000) into empty datasets, with and without the index, alternately, three times each; then the index build on
-- 200,000 jobs and the sizes. Run on a database migrated to V15 (psql -f each migration in version order):
--   psql -d <db> -f copy-cost.sql
\timing on
SET jit = off;
SELECT jobsdb_add_dataset('rt', d, 1 + (d - 1) * 100000, 1 + d * 100000) FROM generate_series(1, 2) d;
\copy (SELECT i, 'ws-' || (i % 10), gen_random_uuid(), 'user-' || (i % 192), i % 64, jsonb_build_object('destination_id', 'dst-' || (i % 20), 'source_id', 'src-1', 'message_id', 'msg-' || i, 'received_at', '2026-11-30T00:00:00Z'), 'WEBHOOK', repeat('x', 450) || '{"messageId":"msg-' || i || '"}', 1, 480 FROM generate_series(1, 200000) i) TO '/tmp/userindex-copy-rows.tsv'
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
DROP INDEX rt_jobs_workspace_id_user_id_job_id_idx;
\echo '### warm-up copy (not counted)'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
\echo '### run 1: no index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
\echo '### run 1: with the index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
DROP INDEX rt_jobs_workspace_id_user_id_job_id_idx;
\echo '### run 2: no index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
\echo '### run 2: with the index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
DROP INDEX rt_jobs_workspace_id_user_id_job_id_idx;
\echo '### run 3: no index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
TRUNCATE rt_jobs;
CHECKPOINT;
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
\echo '### run 3: with the index'
\copy rt_jobs (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val, event_payload, event_count, payload_size) FROM '/tmp/userindex-copy-rows.tsv'
\echo '### sizes with the index: jobs tables, the index, the primary key'
SELECT sum(pg_relation_size(c.oid)) FILTER (WHERE c.relkind = 'r') AS jobs_heap_bytes,
       sum(pg_relation_size(c.oid)) FILTER (WHERE c.relname LIKE '%workspace_id_user_id_job_id%') AS user_index_bytes,
       sum(pg_relation_size(c.oid)) FILTER (WHERE c.relname LIKE '%pkey') AS primary_key_bytes
FROM pg_class c WHERE c.relname ~ '^rt_jobs_[0-9]+';
\echo '### the index built on 200,000 stored jobs (what V16 costs at migration)'
DROP INDEX rt_jobs_workspace_id_user_id_job_id_idx;
CREATE INDEX rt_jobs_workspace_id_user_id_job_id_idx ON rt_jobs (workspace_id, user_id, job_id);
