-- the workspace of each destination's counts, so the stats API can answer one workspace only (rows written before
-- this migration keep '' and are seen only without a workspace filter)
ALTER TABLE router_delivery_stats ADD COLUMN workspace_id text NOT NULL DEFAULT '';
CREATE INDEX ON router_delivery_stats (workspace_id, bucket);
