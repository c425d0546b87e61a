-- Archive files written from the arc queue: an index of what storage holds, for the web app and retention
-- (storage itself stays listable by day: <source>/gw/<yyyy-mm-dd>/<hh>/<first job id>-<uuid>.json.gz).
CREATE TABLE wh_archive_files (
    location      text        PRIMARY KEY,
    workspace_id  text        NOT NULL,
    source_id     text        NOT NULL,
    hour          timestamptz NOT NULL,
    first_job_id  bigint      NOT NULL,
    last_job_id   bigint      NOT NULL,
    events        integer     NOT NULL,
    bytes         bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wh_archive_files_source ON wh_archive_files (workspace_id, source_id, hour);
CREATE INDEX wh_archive_files_hour ON wh_archive_files (hour);

-- Replays of a source's archive for a time range into the gw queue. state: pending, running, done, failed.
-- last_location: the last archive file replayed (files are replayed in key order), so a resumed replay goes on
-- after it and replays no file twice.
CREATE TABLE wh_archive_replays (
    id            bigserial   PRIMARY KEY,
    workspace_id  text        NOT NULL,
    source_id     text        NOT NULL,
    from_time     timestamptz NOT NULL,
    to_time       timestamptz NOT NULL,
    state         text        NOT NULL DEFAULT 'pending',
    files         integer     NOT NULL DEFAULT 0,
    events        bigint      NOT NULL DEFAULT 0,
    last_location text,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX wh_archive_replays_workspace ON wh_archive_replays (workspace_id, id DESC);
