-- Timether domain schema (PRODUCT section 2). Every workspace-owned row carries workspace_id,
-- and references between workspace-owned rows use (workspace_id, id) pairs so that a row can
-- never point into another workspace.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash text NOT NULL,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    time_zone     text NOT NULL DEFAULT 'UTC',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE workspaces (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    plan                 text NOT NULL CHECK (plan IN ('free', 'solo_pro', 'team', 'business')),
    billing_state        text NOT NULL DEFAULT 'trialing'
                         CHECK (billing_state IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled')),
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    currency             char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    time_zone            text NOT NULL DEFAULT 'UTC',
    week_start           smallint NOT NULL DEFAULT 1 CHECK (week_start BETWEEN 1 AND 7),
    rounding_minutes     smallint NOT NULL DEFAULT 0 CHECK (rounding_minutes IN (0, 1, 5, 6, 10, 15, 30, 60)),
    rounding_mode        text NOT NULL DEFAULT 'nearest' CHECK (rounding_mode IN ('nearest', 'up', 'down')),
    lock_date            date,
    default_rate_minor   bigint NOT NULL DEFAULT 0 CHECK (default_rate_minor >= 0),
    capability_timesheets boolean NOT NULL DEFAULT true,
    capability_expenses  boolean NOT NULL DEFAULT true,
    capability_invoices  boolean NOT NULL DEFAULT true,
    capability_mcp       boolean NOT NULL DEFAULT true,
    next_invoice_number  integer NOT NULL DEFAULT 1 CHECK (next_invoice_number > 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Overrides of the plan's entitlements, one row per entitlement that differs from the plan.
CREATE TABLE workspace_entitlements (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    entitlement  text NOT NULL CHECK (entitlement IN ('public_api_access', 'audit_logs', 'timesheets',
                                                      'expenses', 'invoices', 'data_portability')),
    enabled      boolean NOT NULL,
    PRIMARY KEY (workspace_id, entitlement)
);

CREATE TABLE memberships (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id),
    role             text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'member')),
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    bill_rate_minor  bigint CHECK (bill_rate_minor >= 0),
    cost_rate_minor  bigint CHECK (cost_rate_minor >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, user_id),
    UNIQUE (workspace_id, id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invites (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    role         text NOT NULL CHECK (role IN ('admin', 'manager', 'member')),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
    token_hash   text NOT NULL UNIQUE,
    invited_by   uuid NOT NULL REFERENCES users (id),
    expires_at   timestamptz NOT NULL,
    sent_count   integer NOT NULL DEFAULT 1 CHECK (sent_count > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX invites_pending_email_key ON invites (workspace_id, lower(email)) WHERE status = 'pending';

CREATE TABLE clients (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email        text CHECK (email IS NULL OR length(email) <= 254),
    address      text CHECK (address IS NULL OR length(address) <= 1000),
    currency     char(3) CHECK (currency ~ '^[A-Z]{3}$'),
    archived     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX clients_name_key ON clients (workspace_id, lower(name));

CREATE TABLE projects (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    client_id           uuid,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    color               text CHECK (color IS NULL OR color ~ '^#[0-9a-fA-F]{6}$'),
    billable_default    boolean NOT NULL DEFAULT true,
    rate_minor          bigint CHECK (rate_minor >= 0),
    budget_minutes      integer CHECK (budget_minutes > 0),
    budget_amount_minor bigint CHECK (budget_amount_minor > 0),
    archived            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id)
);
CREATE UNIQUE INDEX projects_name_key ON projects (workspace_id, lower(name));

CREATE TABLE project_members (
    workspace_id  uuid NOT NULL,
    project_id    uuid NOT NULL,
    membership_id uuid NOT NULL,
    rate_minor    bigint CHECK (rate_minor >= 0),
    PRIMARY KEY (project_id, membership_id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id)
);

CREATE TABLE tags (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX tags_name_key ON tags (workspace_id, lower(name));

CREATE TABLE invoices (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    client_id      uuid NOT NULL,
    number         text CHECK (number IS NULL OR length(number) BETWEEN 1 AND 40),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    tax_rate_bp    integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    subtotal_minor bigint NOT NULL DEFAULT 0 CHECK (subtotal_minor >= 0),
    tax_minor      bigint NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
    total_minor    bigint NOT NULL DEFAULT 0 CHECK (total_minor >= 0),
    issue_date     date,
    due_date       date CHECK (due_date IS NULL OR issue_date IS NULL OR due_date >= issue_date),
    notes          text CHECK (notes IS NULL OR length(notes) <= 2000),
    issued_at      timestamptz,
    paid_at        timestamptz,
    voided_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, number),
    CHECK (status = 'draft' OR number IS NOT NULL),
    FOREIGN KEY (workspace_id, client_id) REFERENCES clients (workspace_id, id)
);

CREATE TABLE timesheets (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    membership_id    uuid NOT NULL,
    week_start       date NOT NULL,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'approved', 'rejected')),
    submitted_at     timestamptz,
    decided_at       timestamptz,
    decided_by       uuid REFERENCES users (id),
    rejection_reason text CHECK (rejection_reason IS NULL OR length(rejection_reason) <= 1000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, membership_id, week_start),
    CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
    FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id)
);

-- A timer row exists only while it runs: the unique key is the "one running timer per member" rule.
CREATE TABLE timers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    membership_id uuid NOT NULL,
    project_id    uuid,
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    billable      boolean NOT NULL DEFAULT true,
    started_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, membership_id),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id)
);

CREATE TABLE timer_tags (
    workspace_id uuid NOT NULL,
    timer_id     uuid NOT NULL,
    tag_id       uuid NOT NULL,
    PRIMARY KEY (timer_id, tag_id),
    FOREIGN KEY (workspace_id, timer_id) REFERENCES timers (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE time_entries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    membership_id   uuid NOT NULL,
    project_id      uuid,
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    started_at      timestamptz NOT NULL,
    ended_at        timestamptz NOT NULL,
    billable        boolean NOT NULL DEFAULT true,
    bill_rate_minor bigint NOT NULL DEFAULT 0 CHECK (bill_rate_minor >= 0),
    currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    invoice_id      uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    CHECK (ended_at > started_at),
    CHECK (ended_at - started_at <= interval '24 hours'),
    FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id)
);
CREATE INDEX time_entries_member_start_idx ON time_entries (workspace_id, membership_id, started_at DESC, id);
CREATE INDEX time_entries_start_idx ON time_entries (workspace_id, started_at DESC, id);
CREATE INDEX time_entries_project_idx ON time_entries (workspace_id, project_id, started_at);
CREATE INDEX time_entries_invoice_idx ON time_entries (invoice_id) WHERE invoice_id IS NOT NULL;

CREATE TABLE time_entry_tags (
    workspace_id  uuid NOT NULL,
    time_entry_id uuid NOT NULL,
    tag_id        uuid NOT NULL,
    PRIMARY KEY (time_entry_id, tag_id),
    FOREIGN KEY (workspace_id, time_entry_id) REFERENCES time_entries (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX time_entry_tags_tag_idx ON time_entry_tags (tag_id);

CREATE TABLE expenses (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    membership_id uuid NOT NULL,
    project_id    uuid,
    spent_on      date NOT NULL,
    category      text NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    billable      boolean NOT NULL DEFAULT true,
    receipt_name  text CHECK (receipt_name IS NULL OR length(receipt_name) <= 255),
    receipt_type  text CHECK (receipt_type IS NULL OR length(receipt_type) <= 100),
    receipt_data  bytea CHECK (receipt_data IS NULL OR length(receipt_data) <= 10485760),
    invoice_id    uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id),
    FOREIGN KEY (workspace_id, project_id) REFERENCES projects (workspace_id, id),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id)
);
CREATE INDEX expenses_member_idx ON expenses (workspace_id, membership_id, spent_on DESC);

CREATE TABLE invoice_lines (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id     uuid NOT NULL,
    invoice_id       uuid NOT NULL,
    position         integer NOT NULL CHECK (position >= 0),
    kind             text NOT NULL CHECK (kind IN ('time', 'expense', 'manual')),
    description      text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    quantity_milli   bigint NOT NULL CHECK (quantity_milli > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    amount_minor     bigint NOT NULL CHECK (amount_minor >= 0),
    UNIQUE (invoice_id, position),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE notifications (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id),
    kind         text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
    message      text NOT NULL CHECK (length(message) <= 2000),
    read_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

CREATE TABLE email_preferences (
    user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    timesheet_reminders boolean NOT NULL DEFAULT true,
    approval_updates   boolean NOT NULL DEFAULT true,
    weekly_summary     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE audit_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid REFERENCES workspaces (id) ON DELETE CASCADE,
    actor_id     uuid REFERENCES users (id),
    channel      text NOT NULL CHECK (channel IN ('web', 'mcp', 'cli', 'system')),
    client_id    text,
    action       text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    target_type  text,
    target_id    text,
    details      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_workspace_idx ON audit_events (workspace_id, created_at DESC, id DESC);

CREATE TABLE data_jobs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    requested_by     uuid NOT NULL REFERENCES users (id),
    kind             text NOT NULL CHECK (kind IN ('export', 'import')),
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    progress_percent smallint NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
    result           jsonb,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (workspace_id, id)
);

-- Emails are written here in the same transaction as the change that causes them.
CREATE TABLE outbox_emails (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    to_address  text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);

-- A session without a user is an anonymous one: it only carries the CSRF token of the sign-in form.
CREATE TABLE web_sessions (
    id_hash      text PRIMARY KEY,
    user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry_idx ON web_sessions (expires_at);

-- Failed sign-ins per subject ('account:<email>' or 'address:<ip>'), in a sliding window.
CREATE TABLE sign_in_throttle (
    subject       text PRIMARY KEY,
    failures      integer NOT NULL CHECK (failures >= 0),
    window_start  timestamptz NOT NULL,
    blocked_until timestamptz
);
