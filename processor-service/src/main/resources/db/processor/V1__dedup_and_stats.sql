-- messageIds seen within the dedup window. A row is written in the same transaction as the rt jobs of its event,
-- so an id counts as seen only once its event has been handed over. Expired rows are deleted in the background
-- (and an expired row is overwritten when its id comes back).
CREATE TABLE proc_dedup_ids (
    source_id  text        NOT NULL,
    message_id text        NOT NULL,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (source_id, message_id)
);
CREATE INDEX proc_dedup_ids_seen_at ON proc_dedup_ids (seen_at);

-- Events counted per minute, source, destination ('' when the count is per source) and stage
-- (received, deduplicated, filtered, transformation_failed, stored), upserted in the store transaction.
CREATE TABLE proc_stats (
    bucket         timestamptz NOT NULL,
    workspace_id   text        NOT NULL,
    source_id      text        NOT NULL,
    destination_id text        NOT NULL,
    stage          text        NOT NULL,
    count          bigint      NOT NULL,
    PRIMARY KEY (bucket, workspace_id, source_id, destination_id, stage)
);
CREATE INDEX proc_stats_source ON proc_stats (source_id, bucket);
CREATE INDEX proc_stats_destination ON proc_stats (destination_id, bucket);
