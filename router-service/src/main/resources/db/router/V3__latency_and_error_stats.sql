-- Per destination and minute, beside router_delivery_stats and written in the same transaction:
-- how long deliveries took (a histogram, so percentiles can be read for any range) and which error codes
-- failed and aborted attempts got. Job tables cannot answer either for long: their datasets are dropped once done.

-- Delivered jobs per latency bin (LatencyBins: bin i holds latencies up to its upper bound), latency being the time
-- from the rt job's creation to the destination's 2xx.
CREATE TABLE router_latency_stats (
    destination_id text        NOT NULL,
    bucket         timestamptz NOT NULL,
    bin            smallint    NOT NULL,
    workspace_id   text        NOT NULL,
    count          bigint      NOT NULL,
    PRIMARY KEY (destination_id, bucket, bin)
);
CREATE INDEX ON router_latency_stats (workspace_id, bucket);

-- Failed (to be retried) and aborted attempts per error code ('' when the destination gave none).
CREATE TABLE router_error_stats (
    destination_id text        NOT NULL,
    bucket         timestamptz NOT NULL,
    code           text        NOT NULL,
    workspace_id   text        NOT NULL,
    count          bigint      NOT NULL,
    PRIMARY KEY (destination_id, bucket, code)
);
CREATE INDEX ON router_error_stats (workspace_id, bucket);
