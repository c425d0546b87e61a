-- A fenced commit locks its lease rows FOR KEY SHARE (PartitionLeases.assertHeld, review 0805 P2-1): its holder's
-- renewal, which changes only expires_at, must not wait for the commit, while anything that hands the row to
-- another holder must. PostgreSQL takes FOR UPDATE (which waits for FOR KEY SHARE) for an UPDATE that changes a
-- column of a unique index, and only FOR NO KEY UPDATE (which does not wait) for any other UPDATE. This index makes
-- holder such a column, so every statement that changes the holder waits for the commits fenced on the row: a claim
-- of this version (it locks FOR UPDATE SKIP LOCKED first anyway), a claim of the version before it (INSERT ... ON
-- CONFLICT DO UPDATE, still running in a replica during a rolling upgrade) and a hand-over written by hand. It is
-- unique because the primary key is; it exists for the lock mode, not for lookups.
CREATE UNIQUE INDEX jobsdb_partition_leases_holder ON jobsdb_partition_leases (owner_group, partition, holder);
