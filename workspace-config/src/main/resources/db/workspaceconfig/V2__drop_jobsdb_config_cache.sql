-- jobsdb's old config_cache table, whose rows V1 copied: nothing reads it any more. jobsdb's V11 drops it when this
-- module migrated first; this drops it when jobsdb did.
DROP TABLE IF EXISTS config_cache;
