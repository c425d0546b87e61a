-- The control plane's model. Tables are prefixed cp_ because the data plane's job tables live in the same database.
-- JSON documents (configs, schemas, lists) are stored as text: they are only read whole by the application.

CREATE TABLE cp_workspace (
    id         text PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cp_user (
    id             text PRIMARY KEY,
    email          text        NOT NULL UNIQUE,
    name           text        NOT NULL DEFAULT '',
    password_hash  text        NOT NULL,
    instance_admin boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cp_membership (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    user_id      text NOT NULL REFERENCES cp_user (id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'VIEWER')),
    UNIQUE (workspace_id, user_id)
);

-- log-in sessions of people; only a hash of the bearer token is kept
CREATE TABLE cp_session (
    id         text PRIMARY KEY,
    token_hash text        NOT NULL UNIQUE,
    user_id    text        NOT NULL REFERENCES cp_user (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- API tokens for automation: each acts in one workspace with one role
CREATE TABLE cp_api_token (
    id           text PRIMARY KEY,
    workspace_id text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'VIEWER')),
    token_hash   text        NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);

-- the tokens the data plane authenticates with (Basic auth user name on /workspaceConfig)
CREATE TABLE cp_workspace_token (
    id           text PRIMARY KEY,
    workspace_id text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cp_source (
    id           text PRIMARY KEY,
    workspace_id text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    source_type  text        NOT NULL,
    category     text        NOT NULL DEFAULT '',
    write_key    text        NOT NULL UNIQUE,
    enabled      boolean     NOT NULL DEFAULT true,
    config       text        NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE cp_destination_definition (
    id                      text PRIMARY KEY,
    name                    text        NOT NULL UNIQUE,
    display_name            text        NOT NULL,
    config_schema           text        NOT NULL DEFAULT '{}',
    supported_message_types text,
    secret_keys             text        NOT NULL DEFAULT '[]',
    transform_at            text        NOT NULL DEFAULT 'processor',
    batching                text,
    origin                  text        NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cp_transformation (
    id           text PRIMARY KEY,
    workspace_id text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    description  text        NOT NULL DEFAULT '',
    language     text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE cp_transformation_version (
    id                text PRIMARY KEY,
    transformation_id text        NOT NULL REFERENCES cp_transformation (id) ON DELETE CASCADE,
    workspace_id      text        NOT NULL,
    number            integer     NOT NULL,
    code              text        NOT NULL,
    language          text        NOT NULL,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (transformation_id, number)
);

-- versions are immutable: the data plane caches code by version id forever
CREATE FUNCTION cp_forbid_version_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'transformation versions are immutable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER cp_transformation_version_immutable
    BEFORE UPDATE ON cp_transformation_version
    FOR EACH ROW EXECUTE FUNCTION cp_forbid_version_update();

CREATE TABLE cp_destination (
    id                        text PRIMARY KEY,
    workspace_id              text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    name                      text        NOT NULL,
    definition_name           text        NOT NULL REFERENCES cp_destination_definition (name),
    config                    text        NOT NULL DEFAULT '{}',
    enabled                   boolean     NOT NULL DEFAULT true,
    -- RESTRICT: a version in use cannot disappear under a running pipeline
    transformation_version_id text REFERENCES cp_transformation_version (id) ON DELETE RESTRICT,
    revision_id               text        NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE cp_connection (
    id             text PRIMARY KEY,
    workspace_id   text        NOT NULL REFERENCES cp_workspace (id) ON DELETE CASCADE,
    source_id      text        NOT NULL REFERENCES cp_source (id) ON DELETE CASCADE,
    destination_id text        NOT NULL REFERENCES cp_destination (id) ON DELETE CASCADE,
    enabled        boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, destination_id)
);

-- who changed what, when; kept when the workspace is deleted
CREATE TABLE cp_audit_log (
    id           bigserial PRIMARY KEY,
    workspace_id text,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    target_type  text        NOT NULL,
    target_id    text,
    summary      text        NOT NULL DEFAULT '',
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cp_audit_log_workspace ON cp_audit_log (workspace_id, id DESC);

-- the AES key for destination secrets when CONFIG_SECRET_KEY is not set
CREATE TABLE cp_secret_key (
    id      integer PRIMARY KEY CHECK (id = 1),
    key_b64 text NOT NULL
);
