-- proc_dedup_ids by the hour: one partition per hour of claims (bucket), dropped whole once older than the dedup
-- window, never DELETEd row by row (review P2-9). A key is unique within its hour; a lookup reads the partitions
-- of the window. Existing rows of the last 7 days move over.
ALTER TABLE proc_dedup_ids RENAME TO proc_dedup_ids_v1;
ALTER TABLE proc_dedup_ids_v1 RENAME CONSTRAINT proc_dedup_ids_pkey TO proc_dedup_ids_v1_pkey;
ALTER INDEX proc_dedup_ids_seen_at RENAME TO proc_dedup_ids_v1_seen_at;

CREATE TABLE proc_dedup_ids (
    source_id  text        NOT NULL,
    message_id text        NOT NULL,
    bucket     timestamptz NOT NULL, -- the hour of the claim: date_bin('1 hour', seen_at, '2000-01-01')
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (source_id, message_id, bucket)
) PARTITION BY RANGE (bucket);

-- Creates the hourly partitions from the hour of from_ts to the hour of upto (those missing). Named by the hour's
-- epoch seconds, so the retention job can read a partition's hour from its name.
CREATE FUNCTION proc_dedup_cover(from_ts timestamptz, upto timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b timestamptz := date_bin('1 hour', from_ts, timestamptz '2000-01-01');
BEGIN
    WHILE b <= upto LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF proc_dedup_ids FOR VALUES FROM (%L) TO (%L)',
                       'proc_dedup_ids_' || extract(epoch FROM b)::bigint, b, b + interval '1 hour');
        b := b + interval '1 hour';
    END LOOP;
END $$;

SELECT proc_dedup_cover(greatest(coalesce((SELECT min(seen_at) FROM proc_dedup_ids_v1), now()),
                                 now() - interval '7 days'),
                        now() + interval '3 hours');
INSERT INTO proc_dedup_ids (source_id, message_id, bucket, seen_at)
SELECT source_id, message_id, date_bin('1 hour', seen_at, timestamptz '2000-01-01'), seen_at
FROM proc_dedup_ids_v1 WHERE seen_at > now() - interval '7 days';
DROP TABLE proc_dedup_ids_v1;
