-- OAuth 2.1 authorization server state (PRODUCT section 4). Secrets (codes, tokens) are stored only as
-- SHA-256 hashes; a leaked table does not let anyone act.

-- Clients registered through Dynamic Client Registration (RFC 7591). Clients identified by a metadata
-- document URL are not stored here: their document is fetched and cached.
CREATE TABLE oauth_clients (
    client_id      text PRIMARY KEY,
    client_name    text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 100),
    redirect_uris  text[] NOT NULL CHECK (cardinality(redirect_uris) BETWEEN 1 AND 10),
    client_uri     text,
    registered_by  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A request waiting for the person's decision on the consent page; the form carries only its id.
CREATE TABLE authorization_requests (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id      text NOT NULL,
    client_name    text NOT NULL,
    is_verified    boolean NOT NULL,
    redirect_uri   text NOT NULL,
    state          text,
    code_challenge text NOT NULL,
    scope          text NOT NULL,
    resource       text NOT NULL,
    expires_at     timestamptz NOT NULL
);

-- One approval: client, person, workspace and the scopes granted. Revoking it ends every token issued for it.
CREATE TABLE connections (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    client_id      text NOT NULL,
    client_name    text NOT NULL,
    scope          text NOT NULL,
    resource       text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX connections_user_idx ON connections (user_id, created_at DESC);

CREATE TABLE authorization_codes (
    code_hash      text PRIMARY KEY,
    client_id      text NOT NULL,
    redirect_uri   text NOT NULL,
    code_challenge text NOT NULL,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    client_name    text NOT NULL,
    scope          text NOT NULL,
    resource       text NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    connection_id  uuid REFERENCES connections (id) ON DELETE CASCADE
);

CREATE TABLE oauth_tokens (
    token_hash     text PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('access', 'refresh')),
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    scope          text NOT NULL,
    expires_at     timestamptz NOT NULL,
    rotated_at     timestamptz,
    revoked_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_tokens_connection_idx ON oauth_tokens (connection_id);
CREATE INDEX oauth_tokens_expiry_idx ON oauth_tokens (expires_at);

-- Fixed-window request counters for rate limits (registration per address, MCP calls per connection).
CREATE TABLE rate_limits (
    subject      text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL CHECK (hits >= 0)
);
