-- The router's own tables, beside the rt queue: replays of failed jobs and delivery statistics.

-- Every replay of an rt job: the original stays as it was, a copy is queued as a new job.
CREATE TABLE router_replays (
    original_job_id bigint      NOT NULL,
    new_job_id      bigint      NOT NULL PRIMARY KEY,
    replayed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON router_replays (original_job_id);

-- Outcomes per destination and minute, written in the same transaction as the job statuses they count.
CREATE TABLE router_delivery_stats (
    destination_id   text        NOT NULL,
    destination_type text        NOT NULL DEFAULT '',
    bucket           timestamptz NOT NULL,
    delivered        bigint      NOT NULL DEFAULT 0,
    failed           bigint      NOT NULL DEFAULT 0,
    aborted          bigint      NOT NULL DEFAULT 0,
    filtered         bigint      NOT NULL DEFAULT 0,
    -- duration of the HTTP requests that delivered (ms), and time from job creation to delivery (ms)
    latency_ms_sum   bigint      NOT NULL DEFAULT 0,
    lag_ms_sum       bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (destination_id, bucket)
);
CREATE INDEX ON router_delivery_stats (bucket);
