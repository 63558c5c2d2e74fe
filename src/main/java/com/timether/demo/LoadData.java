package com.timether.demo;

import com.timether.account.PasswordHasher;
import com.timether.account.User;
import com.timether.account.UserService;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Fills a new workspace with synthetic time data at volume, for benchmarks of lists and reports.
 *
 * <p>Rows are written set-based (one statement a batch), so a million entries take minutes, not hours. Every row
 * goes through the same constraints as real data; bill rates are resolved as the tools resolve them (project rate,
 * else the member's rate), and about three entries in ten carry a tag.
 */
public final class LoadData {
    /** The largest volume one run may create; more would outgrow a data directory on a laptop. */
    public static final int MAX_ENTRIES = 5_000_000;

    public static final int MAX_MEMBERS = 2_000;
    public static final int MAX_PROJECTS = 10_000;
    public static final int MAX_DAYS = 3_650;
    private static final int BATCH = 50_000;
    private static final int CLIENTS_PER_PROJECTS = 10;
    private static final int TAGS = 20;
    private static final List<String> TASKS = List.of(
            "Design review",
            "Client call",
            "Implementation",
            "Code review",
            "Planning",
            "Research",
            "Testing",
            "Documentation");

    private final Jdbi jdbi;
    private final UserService users;
    private final WorkspaceService workspaces;

    public LoadData(Jdbi jdbi, PasswordHasher hasher) {
        this.jdbi = jdbi;
        this.users = new UserService(jdbi, hasher);
        this.workspaces = new WorkspaceService(jdbi);
    }

    /** What to create: a workspace of {@code members} people (the owner among them) and {@code projects} projects. */
    public record Volume(
            String workspace, String ownerEmail, String password, int entries, int members, int projects, int days) {
        public Volume {
            workspace = InputRules.name("workspace name", workspace, 100);
            requireBetween("entries", entries, 1, MAX_ENTRIES);
            requireBetween("members", members, 1, MAX_MEMBERS);
            requireBetween("projects", projects, 1, MAX_PROJECTS);
            requireBetween("days", days, 1, MAX_DAYS);
        }
    }

    /** What was created. */
    public record Outcome(Workspace workspace, User owner, int members, int clients, int projects, long entries) {}

    /** Creates the owner, the workspace and its data; {@code progress} hears a line after every batch. */
    public Outcome generate(Volume volume, Consumer<String> progress) {
        if (!workspaces.findByName(volume.workspace()).isEmpty()) {
            throw DomainException.conflict("A workspace named '" + volume.workspace()
                    + "' exists already; generate fills a new workspace only");
        }
        User owner = users.create(volume.ownerEmail(), "Load Owner", volume.password(), "Europe/Berlin");
        Workspace workspace = workspaces.create(
                new NewWorkspace(volume.workspace(), Plan.BUSINESS, BillingState.ACTIVE, "EUR", "Europe/Berlin"),
                owner.id(),
                Actor.operator());
        int clients = Math.max(1, volume.projects() / CLIENTS_PER_PROJECTS);
        jdbi.useTransaction(h -> {
            addMembers(h, workspace.id(), owner, volume.members() - 1);
            addClientsProjectsAndTags(h, workspace.id(), clients, volume.projects());
        });
        progress.accept("created " + volume.members() + " members, " + clients + " clients, " + volume.projects()
                + " projects and " + TAGS + " tags");
        long written = 0;
        while (written < volume.entries()) {
            int count = (int) Math.min(BATCH, volume.entries() - written);
            long first = written;
            jdbi.useTransaction(h -> addEntries(h, workspace.id(), volume, first, count));
            written += count;
            progress.accept("time entries: " + written + " of " + volume.entries());
        }
        // As after any bulk load: fresh statistics for the planner, and every new row marked visible once, so the
        // first reads neither set hint bits on a million rows (dirtying their pages) nor visit the heap for them.
        jdbi.useHandle(h -> h.execute("VACUUM (ANALYZE) time_entries, time_entry_tags"));
        return new Outcome(workspace, owner, volume.members(), clients, volume.projects(), written);
    }

    /** Members sign in with the owner's password hash: one Argon2id hash, not thousands. */
    private static void addMembers(Handle h, UUID ws, User owner, int count) {
        String prefix = "load-" + ws.toString().substring(0, 8) + "-";
        h.createUpdate("WITH people AS (INSERT INTO users (email, display_name, password_hash, time_zone)"
                        + " SELECT :prefix || n || '@example.test', 'Member ' || n, u.password_hash, 'Europe/Berlin'"
                        + " FROM generate_series(1, :count) n, users u WHERE u.id = :owner RETURNING id, display_name)"
                        + " INSERT INTO memberships (workspace_id, user_id, role, bill_rate_minor, cost_rate_minor)"
                        + " SELECT :ws, id, CASE WHEN right(display_name, 2) = '00' THEN 'manager' ELSE 'member' END,"
                        + " 6000 + (length(display_name) * 700) % 5000, 4000 FROM people")
                .bind("prefix", prefix)
                .bind("count", count)
                .bind("owner", owner.id())
                .bind("ws", ws)
                .execute();
        h.createUpdate("UPDATE memberships SET bill_rate_minor = 9000 WHERE workspace_id = :ws AND role = 'owner'")
                .bind("ws", ws)
                .execute();
    }

    private static void addClientsProjectsAndTags(Handle h, UUID ws, int clients, int projects) {
        h.createUpdate("INSERT INTO clients (workspace_id, name, currency)"
                        + " SELECT :ws, 'Client ' || lpad(n::text, 4, '0'), 'EUR' FROM generate_series(1, :count) n")
                .bind("ws", ws)
                .bind("count", clients)
                .execute();
        h.createUpdate("INSERT INTO projects (workspace_id, client_id, name, billable_default, rate_minor,"
                        + " budget_minutes)"
                        + " SELECT :ws, (SELECT id FROM clients WHERE workspace_id = :ws"
                        + " AND name = 'Client ' || lpad((1 + n % :clients)::text, 4, '0')),"
                        + " 'Project ' || lpad(n::text, 5, '0'), n % 7 <> 0,"
                        + " CASE WHEN n % 5 < 3 THEN 8000 + (n % 9) * 500 END,"
                        + " CASE WHEN n % 4 = 0 THEN 6000 + (n % 13) * 600 END"
                        + " FROM generate_series(1, :count) n")
                .bind("ws", ws)
                .bind("clients", clients)
                .bind("count", projects)
                .execute();
        h.createUpdate("INSERT INTO tags (workspace_id, name)"
                        + " SELECT :ws, 'tag-' || lpad(n::text, 2, '0') FROM generate_series(1, :count) n")
                .bind("ws", ws)
                .bind("count", TAGS)
                .execute();
    }

    /**
     * Entries {@code first} to {@code first + count - 1}: entry {@code i} belongs to member {@code i mod members}
     * and is that member's {@code i / members}-th entry, spread evenly over the period with a duration of at most
     * seven tenths of the gap, so one member's entries never overlap.
     */
    private static void addEntries(Handle h, UUID ws, Volume volume, long first, int count) {
        h.execute("SET LOCAL synchronous_commit = off");
        h.createUpdate("WITH m AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, bill_rate_minor"
                        + " FROM memberships WHERE workspace_id = :ws),"
                        + " p AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, rate_minor, billable_default"
                        + " FROM projects WHERE workspace_id = :ws),"
                        + " t AS (SELECT array_agg(id ORDER BY name) AS ids FROM tags WHERE workspace_id = :ws),"
                        + " plan AS (SELECT i, i % :members AS member, i / :members AS seq,"
                        + " (:days * 86400.0) / ceil(:entries::numeric / :members) AS gap"
                        + " FROM generate_series(CAST(:first AS bigint), :last) i),"
                        + " rows AS (SELECT plan.i, m.id AS member_id, p.id AS project_id, p.billable_default,"
                        + " coalesce(p.rate_minor, m.bill_rate_minor, 0) AS rate,"
                        + " date_trunc('day', now()) - make_interval(days => :days)"
                        + " + make_interval(secs => plan.seq * plan.gap) AS started,"
                        + " make_interval(secs => least(4 * 3600, plan.gap * 0.7)"
                        + " * (0.25 + ((plan.i * 7919) % 100) / 133.0)) AS length"
                        + " FROM plan JOIN m ON m.n = plan.member"
                        + " JOIN p ON p.n = (plan.member * 31 + plan.seq / 40) % :projects),"
                        + " entries AS (INSERT INTO time_entries (workspace_id, membership_id, project_id, description,"
                        + " started_at, ended_at, billable, bill_rate_minor, currency)"
                        + " SELECT :ws, member_id, project_id, (:tasks)[1 + i % :taskCount], started,"
                        + " started + length, billable_default AND i % 10 <> 0, rate, 'EUR' FROM rows"
                        + " RETURNING id)"
                        + " INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id)"
                        + " SELECT :ws, entries.id, t.ids[1 + abs(hashtext(entries.id::text)) % :tagCount]"
                        + " FROM entries, t WHERE abs(hashtext(entries.id::text)) % 10 < 3")
                .bind("ws", ws)
                .bind("members", volume.members())
                .bind("projects", volume.projects())
                .bind("days", volume.days())
                .bind("entries", volume.entries())
                .bind("first", first)
                .bind("last", first + count - 1)
                .bind("tasks", TASKS.toArray(String[]::new))
                .bind("taskCount", TASKS.size())
                .bind("tagCount", TAGS)
                .execute();
    }

    private static void requireBetween(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw DomainException.invalid(field + " must be between " + min + " and " + max + "; got " + value);
        }
    }
}
