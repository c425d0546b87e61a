-- Aborted rt jobs with every status row they had, copied here before their dataset is dropped or compacted away
-- (review P1-5), so the router's failed-events list, detail and replay outlive the dataset. Maintenance deletes a
-- row jobsdb.failed-retention (30 days) after the job was aborted. Both tables are keyed by the ids the rows had in
-- the queue, so copying the same job again changes nothing.
CREATE TABLE rt_failed_events (
    job_id        bigint      PRIMARY KEY,
    workspace_id  text        NOT NULL,
    uuid          uuid        NOT NULL,
    user_id       text        NOT NULL,
    partition_id  smallint    NOT NULL,
    parameters    jsonb       NOT NULL,
    custom_val    varchar(64) NOT NULL,
    event_payload text        NOT NULL,
    event_count   integer     NOT NULL,
    payload_size  integer     NOT NULL,
    created_at    timestamptz NOT NULL,
    expire_at     timestamptz NOT NULL,
    aborted_at    timestamptz NOT NULL, -- exec_time of the aborted status; the retention counts from it
    retained_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON rt_failed_events (aborted_at);

CREATE TABLE rt_failed_event_statuses (
    id             bigint      PRIMARY KEY, -- the status row's id in rt_job_status
    job_id         bigint      NOT NULL REFERENCES rt_failed_events ON DELETE CASCADE,
    job_state      varchar(64) NOT NULL,
    attempt        smallint    NOT NULL,
    exec_time      timestamptz NOT NULL,
    retry_time     timestamptz NOT NULL,
    error_code     varchar(32) NOT NULL,
    error_response jsonb       NOT NULL,
    parameters     jsonb       NOT NULL
);
CREATE INDEX ON rt_failed_event_statuses (job_id, id DESC);
