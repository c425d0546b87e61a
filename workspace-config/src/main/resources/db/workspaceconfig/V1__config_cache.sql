-- The last workspace config each data-plane service read (one row per service), so it starts while the control plane
-- is down. Databases created before this module kept it in jobsdb's config_cache table: its rows are carried over.
CREATE TABLE workspace_config_cache (
    consumer   text        PRIMARY KEY,
    config     bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
    IF to_regclass('config_cache') IS NOT NULL THEN
        INSERT INTO workspace_config_cache (consumer, config, updated_at)
        SELECT consumer, config, updated_at FROM config_cache;
    END IF;
END $$;
