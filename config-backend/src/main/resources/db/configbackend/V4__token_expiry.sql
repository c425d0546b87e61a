-- API tokens may expire (review P2-5): NULL never expires, as before
ALTER TABLE cp_api_token ADD COLUMN expires_at timestamptz;
