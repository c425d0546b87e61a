-- sessions end after a time without use as well as at their fixed expiry (review P2-5): the last request's time,
-- written at most once a minute per session
ALTER TABLE cp_session ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
