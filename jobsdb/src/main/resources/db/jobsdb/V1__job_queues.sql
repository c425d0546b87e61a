-- The job queues (gw, rt, batch_rt). Each queue is a jobs table and an append-only status table, both
-- partitioned by RANGE (job_id): one partition pair per dataset. A dataset whose jobs are all terminal is
-- dropped whole (DROP TABLE), so hot rows are never updated or deleted and disk stays bounded.
-- The state of a job is its latest status row (highest id); no status row means unprocessed.

CREATE TABLE jobsdb_datasets (
    queue      text        NOT NULL,
    idx        integer     NOT NULL,
    min_job_id bigint      NOT NULL, -- inclusive
    max_job_id bigint      NOT NULL, -- exclusive
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (queue, idx)
);

CREATE FUNCTION jobsdb_create_queue(prefix text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE SEQUENCE %I', prefix || '_job_id_seq');
    EXECUTE format('CREATE SEQUENCE %I', prefix || '_status_id_seq');
    EXECUTE format($ddl$
        CREATE TABLE %1$I (
            job_id        bigint      NOT NULL,
            workspace_id  text        NOT NULL DEFAULT '',
            uuid          uuid        NOT NULL,
            user_id       text        NOT NULL,
            partition_id  smallint    NOT NULL DEFAULT 0,
            parameters    jsonb       NOT NULL DEFAULT '{}',
            custom_val    varchar(64) NOT NULL,
            -- the event exactly as JSON text: jsonb refuses \u0000 and re-orders keys, text keeps both
            event_payload text        NOT NULL,
            event_count   integer     NOT NULL DEFAULT 1,
            payload_size  integer     NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now(),
            expire_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id)
        ) PARTITION BY RANGE (job_id)$ddl$, prefix || '_jobs');
    EXECUTE format($ddl$
        CREATE TABLE %1$I (
            id             bigint      NOT NULL DEFAULT nextval(%2$L),
            job_id         bigint      NOT NULL,
            job_state      varchar(64) NOT NULL,
            attempt        smallint    NOT NULL DEFAULT 0,
            exec_time      timestamptz NOT NULL DEFAULT now(),
            retry_time     timestamptz NOT NULL DEFAULT now(),
            error_code     varchar(32) NOT NULL DEFAULT '',
            error_response jsonb       NOT NULL DEFAULT '{}',
            parameters     jsonb       NOT NULL DEFAULT '{}'
        ) PARTITION BY RANGE (job_id)$ddl$, prefix || '_job_status', prefix || '_status_id_seq');
    EXECUTE format('CREATE INDEX ON %I (job_id, id DESC)', prefix || '_job_status');
    -- failed and waiting jobs are few; the router finds them without walking every status row
    EXECUTE format('CREATE INDEX ON %I (job_state, job_id) WHERE job_state IN (''failed'', ''waiting'', ''aborted'')',
                   prefix || '_job_status');
END $$;

-- Creates dataset idx of a queue covering job ids [lo, hi).
CREATE FUNCTION jobsdb_add_dataset(prefix text, idx integer, lo bigint, hi bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s) '
                   'WITH (autovacuum_vacuum_insert_scale_factor = 0.02)',
                   prefix || '_jobs_' || idx, prefix || '_jobs', lo, hi);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
                   prefix || '_job_status_' || idx, prefix || '_job_status', lo, hi);
    INSERT INTO jobsdb_datasets (queue, idx, min_job_id, max_job_id) VALUES (prefix, idx, lo, hi);
END $$;

-- Drops dataset idx of a queue: both tables at once, never row by row.
CREATE FUNCTION jobsdb_drop_dataset(prefix text, idx integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TABLE %I, %I', prefix || '_job_status_' || idx, prefix || '_jobs_' || idx);
    DELETE FROM jobsdb_datasets d WHERE d.queue = prefix AND d.idx = jobsdb_drop_dataset.idx;
END $$;

SELECT jobsdb_create_queue('gw');
SELECT jobsdb_create_queue('rt');
SELECT jobsdb_create_queue('batch_rt');

-- The last workspace config that a data-plane service read, so it can start while the control plane is down.
CREATE TABLE config_cache (
    consumer   text        PRIMARY KEY,
    config     bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
