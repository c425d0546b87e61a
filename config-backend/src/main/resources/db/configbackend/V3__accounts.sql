-- Accounts (issue 14 item 5): a password set by someone else must be changed at first log-in, and workspace admins
-- invite people by a one-time, expiring token instead of creating their accounts.
ALTER TABLE cp_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

CREATE TABLE cp_invitation (
    id           text PRIMARY KEY,
    token_hash   text        NOT NULL UNIQUE,
    workspace_id text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    email        text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'VIEWER')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
