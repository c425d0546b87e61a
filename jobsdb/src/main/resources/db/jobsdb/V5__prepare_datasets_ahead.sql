-- Creates the datasets of a queue until job id last_id has one. Creating a partition locks the parent tables, so
-- maintenance calls this ahead of time (with a lock timeout) and writers in jobsdb_allocate seldom have to.
CREATE FUNCTION jobsdb_cover(prefix text, last_id bigint, max_jobs bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    top_idx integer;
    top_hi  bigint;
BEGIN
    SELECT coalesce(max(d.idx), 0), coalesce(max(d.max_job_id), 1) INTO top_idx, top_hi
    FROM jobsdb_datasets d WHERE d.queue = prefix;
    WHILE last_id >= top_hi LOOP
        top_idx := top_idx + 1;
        PERFORM jobsdb_add_dataset(prefix, top_idx, top_hi, greatest(top_hi + max_jobs, last_id + 1));
        top_hi := greatest(top_hi + max_jobs, last_id + 1);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION jobsdb_allocate(prefix text, n integer, max_jobs bigint, lock_key bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    seq      regclass := (prefix || '_job_id_seq')::regclass;
    first_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    first_id := setval(seq, nextval(seq) + n - 1) - n + 1;
    PERFORM jobsdb_cover(prefix, first_id + n - 1, max_jobs);
    RETURN first_id;
END $$;
