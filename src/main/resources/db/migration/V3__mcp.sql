-- MCP tool platform state (PRODUCT section 5): one-time confirmations and idempotency records, in PostgreSQL
-- so that any instance can finish what another started.

CREATE TABLE confirmations (
    token_hash    text PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    tool          text NOT NULL,
    args_hash     text NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX confirmations_expiry_idx ON confirmations (expires_at);

CREATE TABLE idempotency_records (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    tool         text NOT NULL,
    args_hash    text NOT NULL,
    result       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id, key)
);
CREATE INDEX idempotency_records_created_idx ON idempotency_records (created_at);
