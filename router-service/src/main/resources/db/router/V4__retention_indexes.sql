-- Retention (review P2-10) deletes the rows of old minutes from each stats table and old replays; these find them
-- without reading the whole table (router_delivery_stats has its bucket index since V1).
CREATE INDEX ON router_latency_stats (bucket);
CREATE INDEX ON router_error_stats (bucket);
CREATE INDEX ON router_replays (replayed_at);
