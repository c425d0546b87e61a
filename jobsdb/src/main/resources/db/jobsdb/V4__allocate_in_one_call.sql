-- One round trip for a writer: take the queue's writer lock (held to commit), allocate n commit-ordered ids and
-- open the datasets they fall in. Returns the first id; the ids are first .. first + n - 1.
CREATE FUNCTION jobsdb_allocate(prefix text, n integer, max_jobs bigint, lock_key bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    seq      regclass := (prefix || '_job_id_seq')::regclass;
    first_id bigint;
    last_id  bigint;
    top_idx  integer;
    top_hi   bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    first_id := setval(seq, nextval(seq) + n - 1) - n + 1;
    last_id := first_id + n - 1;
    SELECT coalesce(max(d.idx), 0), coalesce(max(d.max_job_id), 1) INTO top_idx, top_hi
    FROM jobsdb_datasets d WHERE d.queue = prefix;
    WHILE last_id >= top_hi LOOP
        top_idx := top_idx + 1;
        PERFORM jobsdb_add_dataset(prefix, top_idx, top_hi, greatest(top_hi + max_jobs, last_id + 1));
        top_hi := greatest(top_hi + max_jobs, last_id + 1);
    END LOOP;
    RETURN first_id;
END $$;
