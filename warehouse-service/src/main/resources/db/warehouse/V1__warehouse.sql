-- The warehouse service's own tables (history in warehouse_schema_history).

-- One replica at a time does the background work (staging, uploads, archiving): it holds this lease and checks it
-- inside every transaction that hands work over, so a replica that lost it cannot commit.
CREATE TABLE wh_leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Staging files: batch_rt jobs of one source and destination mapped to warehouse rows, gzip JSON lines in storage.
CREATE TABLE wh_staging_files (
    id             bigserial   PRIMARY KEY,
    workspace_id   text        NOT NULL,
    source_id      text        NOT NULL,
    destination_id text        NOT NULL,
    location       text        NOT NULL,
    rows           integer     NOT NULL,
    events         integer     NOT NULL,
    bytes          bigint      NOT NULL,
    first_job_id   bigint      NOT NULL,
    last_job_id    bigint      NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    upload_id      bigint
);
CREATE INDEX wh_staging_files_pending ON wh_staging_files (source_id, destination_id, id) WHERE upload_id IS NULL;
CREATE INDEX wh_staging_files_upload ON wh_staging_files (upload_id);

-- Uploads: the staging files of one source and destination loaded together. status: waiting, exporting,
-- exported, failed (retried at next_attempt_at), aborted (retries spent; can be retried by hand).
CREATE TABLE wh_uploads (
    id               bigserial   PRIMARY KEY,
    workspace_id     text        NOT NULL,
    source_id        text        NOT NULL,
    destination_id   text        NOT NULL,
    namespace        text        NOT NULL DEFAULT '',
    status           text        NOT NULL,
    trigger          text        NOT NULL,
    staging_files    integer     NOT NULL,
    events           bigint      NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    first_attempt_at timestamptz,
    -- uuid_ts of every row this upload loads: fixed at the first attempt, so a retry finds its own rows
    load_ts          timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX wh_uploads_pair ON wh_uploads (source_id, destination_id, id DESC);
CREATE INDEX wh_uploads_workspace ON wh_uploads (workspace_id, id DESC);
-- at most one unfinished upload per source and destination: uploads of a pair run one after the other, in order
CREATE UNIQUE INDEX wh_uploads_one_open ON wh_uploads (source_id, destination_id)
    WHERE status IN ('waiting', 'exporting', 'failed');

CREATE TABLE wh_upload_tables (
    upload_id  bigint      NOT NULL REFERENCES wh_uploads (id) ON DELETE CASCADE,
    table_name text        NOT NULL,
    status     text        NOT NULL,
    rows       bigint      NOT NULL DEFAULT 0,
    discards   bigint      NOT NULL DEFAULT 0,
    error      text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (upload_id, table_name)
);
