-- Ownership of user partitions by replicas of one group (processor, router): a partition is worked on by the
-- holder of an unexpired lease only, so per-user order holds across replicas, and a dead replica's leases expire.
CREATE TABLE jobsdb_partition_leases (
    owner_group text        NOT NULL,
    partition   integer     NOT NULL,
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (owner_group, partition)
);

-- Live replicas of a group, heartbeated with the leases, so a replica that holds nothing yet still counts
-- when the others compute their fair share.
CREATE TABLE jobsdb_lease_members (
    owner_group text        NOT NULL,
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (owner_group, holder)
);
