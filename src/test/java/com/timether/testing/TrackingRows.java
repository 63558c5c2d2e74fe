package com.timether.testing;

import com.timether.Application;
import com.timether.account.User;
import com.timether.workspace.RoundingMode;
import com.timether.workspace.Workspace;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;

/**
 * Direct access to a test's own time-tracking rows: workspace settings that no MCP tool changes yet (rounding,
 * lock date, default rate), timers moved back in time, row counts and invoices for lock tests.
 */
public final class TrackingRows {
    private TrackingRows() {}

    private static Jdbi jdbi(Application app) {
        return app.database().jdbi();
    }

    /** The membership id of {@code user} in the workspace. */
    public static UUID memberId(Application app, Workspace workspace, User user) {
        return jdbi(app)
                .withHandle(
                        h -> h.createQuery("SELECT id FROM memberships WHERE workspace_id = :ws AND user_id = :user")
                                .bind("ws", workspace.id())
                                .bind("user", user.id())
                                .mapTo(UUID.class)
                                .one());
    }

    /** Sets the rounding of stopped timers in the workspace's settings columns, as {@code Workspace} reads them. */
    public static void setRounding(Application app, Workspace workspace, int minutes, RoundingMode mode) {
        jdbi(app)
                .useHandle(
                        h -> h.createUpdate("UPDATE workspaces SET rounding_minutes = :minutes, rounding_mode = :mode"
                                        + " WHERE id = :ws")
                                .bind("minutes", minutes)
                                .bind("mode", mode.value())
                                .bind("ws", workspace.id())
                                .execute());
    }

    /** Sets the workspace's lock date. */
    public static void setLockDate(Application app, Workspace workspace, LocalDate lockDate) {
        jdbi(app)
                .useHandle(h -> h.createUpdate("UPDATE workspaces SET lock_date = :date WHERE id = :ws")
                        .bind("date", lockDate)
                        .bind("ws", workspace.id())
                        .execute());
    }

    /** Sets the workspace's default hourly bill rate. */
    public static void setDefaultRate(Application app, Workspace workspace, long rateMinor) {
        jdbi(app)
                .useHandle(h -> h.createUpdate("UPDATE workspaces SET default_rate_minor = :rate WHERE id = :ws")
                        .bind("rate", rateMinor)
                        .bind("ws", workspace.id())
                        .execute());
    }

    /** Moves the start of the member's running timer {@code ago} before the database's now. */
    public static void startTimerAgo(Application app, Workspace workspace, UUID member, Duration ago) {
        int changed = jdbi(app)
                .withHandle(h -> h.createUpdate("UPDATE timers SET started_at = now() - :ago"
                                + " * interval '1 second' WHERE workspace_id = :ws AND membership_id = :member")
                        .bind("ago", ago.toSeconds())
                        .bind("ws", workspace.id())
                        .bind("member", member)
                        .execute());
        if (changed != 1) {
            throw new IllegalStateException("member " + member + " has no running timer to move back");
        }
    }

    /** How many timer rows the member has (at most one may exist). */
    public static int timers(Application app, Workspace workspace, UUID member) {
        return count(app, "timers", workspace, member);
    }

    /** How many time entry rows the member has. */
    public static int entries(Application app, Workspace workspace, UUID member) {
        return count(app, "time_entries", workspace, member);
    }

    /** Puts the entry on a new invoice of a new client with {@code status} (draft, issued, paid or void). */
    public static UUID putOnInvoice(Application app, Workspace workspace, UUID entry, String status) {
        return jdbi(app).inTransaction(h -> {
            UUID client = h.createQuery("INSERT INTO clients (workspace_id, name) VALUES (:ws, :name) RETURNING id")
                    .bind("ws", workspace.id())
                    .bind("name", "Invoiced client " + TestData.unique())
                    .mapTo(UUID.class)
                    .one();
            UUID invoice = h.createQuery("INSERT INTO invoices (workspace_id, client_id, number, status, currency)"
                            + " VALUES (:ws, :client, :number, :status, :currency) RETURNING id")
                    .bind("ws", workspace.id())
                    .bind("client", client)
                    .bind("number", "INV-" + TestData.unique())
                    .bind("status", status)
                    .bind("currency", workspace.currency())
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("UPDATE time_entries SET invoice_id = :invoice WHERE workspace_id = :ws AND id = :id")
                    .bind("invoice", invoice)
                    .bind("ws", workspace.id())
                    .bind("id", entry)
                    .execute();
            return invoice;
        });
    }

    /**
     * Waits until a database session runs a statement containing {@code sql} and waits for a lock, or until
     * {@code call} finished without waiting. Answers whether the lock wait was seen.
     */
    public static boolean awaitLockWait(Application app, Future<?> call, String sql) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean isWaiting = jdbi(app)
                    .withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM"
                                    + " pg_stat_activity WHERE wait_event_type = 'Lock'"
                                    + " AND position(:sql IN query) > 0)")
                            .bind("sql", sql)
                            .mapTo(Boolean.class)
                            .one());
            if (isWaiting) {
                return true;
            }
            try {
                // Waiting on the call itself: it either ends (no lock wait happened) or the loop looks again.
                call.get(20, TimeUnit.MILLISECONDS);
                return false;
            } catch (TimeoutException e) {
                // Still running: look at the sessions again.
            } catch (ExecutionException e) {
                return false;
            }
        }
        throw new IllegalStateException("the call neither finished nor waited for a lock within 30 s");
    }

    /** One audit event as stored. */
    public record AuditRow(String action, String channel, UUID actor, String clientId, String tool, String target) {}

    /** The workspace's audit events of one action, oldest first. */
    public static List<AuditRow> audit(Application app, Workspace workspace, String action) {
        return jdbi(app)
                .withHandle(h -> h.createQuery("SELECT action, channel, actor_id, client_id,"
                                + " details->>'tool' AS tool, target_id FROM audit_events WHERE workspace_id = :ws"
                                + " AND action = :action ORDER BY id")
                        .bind("ws", workspace.id())
                        .bind("action", action)
                        .map((rs, ctx) -> new AuditRow(
                                rs.getString("action"),
                                rs.getString("channel"),
                                rs.getObject("actor_id", UUID.class),
                                rs.getString("client_id"),
                                rs.getString("tool"),
                                rs.getString("target_id")))
                        .list());
    }

    private static int count(Application app, String table, Workspace workspace, UUID member) {
        return jdbi(app)
                .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table
                                + " WHERE workspace_id = :ws AND membership_id = :member")
                        .bind("ws", workspace.id())
                        .bind("member", member)
                        .mapTo(Integer.class)
                        .one());
    }
}
