package com.timether.testing;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Settings and rows of a test's own workspace that no MCP tool offers: time zone, week start, currency, email
 * preferences, and the notifications and outbox mail the tools leave behind.
 */
public final class ReportingRows {
    private ReportingRows() {}

    /** A notification as stored. */
    public record Notification(String kind, String message) {}

    /** An outbox email as stored. */
    public record OutboxEmail(String subject, String body) {}

    /** Sets the workspace's time zone (an IANA id) and week start (1 = Monday ... 7 = Sunday). */
    public static void clock(UUID workspace, String zone, int weekStart) {
        jdbi().useHandle(h -> h.createUpdate(
                        "UPDATE workspaces SET time_zone = :zone, week_start = :start" + " WHERE id = :id")
                .bind("zone", zone)
                .bind("start", weekStart)
                .bind("id", workspace)
                .execute());
    }

    /** Sets the workspace's currency; new entries keep it with their rate. */
    public static void currency(UUID workspace, String currency) {
        jdbi().useHandle(h -> h.createUpdate("UPDATE workspaces SET currency = :currency WHERE id = :id")
                .bind("currency", currency)
                .bind("id", workspace)
                .execute());
    }

    /** Turns the user's timesheet approval emails in this workspace on or off. */
    public static void approvalEmails(UUID user, UUID workspace, boolean isOn) {
        jdbi().useHandle(h -> h.createUpdate("INSERT INTO email_preferences (user_id, workspace_id, approval_updates)"
                        + " VALUES (:user, :ws, :on) ON CONFLICT (user_id, workspace_id)"
                        + " DO UPDATE SET approval_updates = :on")
                .bind("user", user)
                .bind("ws", workspace)
                .bind("on", isOn)
                .execute());
    }

    /** The user's notifications in the workspace, oldest first. */
    public static List<Notification> notifications(UUID user, UUID workspace) {
        return jdbi().withHandle(h -> h.createQuery("SELECT kind, message FROM notifications"
                        + " WHERE user_id = :user AND workspace_id = :ws ORDER BY created_at, id")
                .bind("user", user)
                .bind("ws", workspace)
                .map((rs, ctx) -> new Notification(rs.getString("kind"), rs.getString("message")))
                .list());
    }

    /** The emails waiting in the outbox for this address, oldest first. */
    public static List<OutboxEmail> outbox(String address) {
        return jdbi().withHandle(h -> h.createQuery("SELECT subject, body FROM outbox_emails"
                        + " WHERE lower(to_address) = lower(:to) ORDER BY created_at, id")
                .bind("to", address)
                .map((rs, ctx) -> new OutboxEmail(rs.getString("subject"), rs.getString("body")))
                .list());
    }

    /** The membership id of the user in the workspace. */
    public static UUID memberId(UUID user, UUID workspace) {
        return jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM memberships WHERE user_id = :user" + " AND workspace_id = :ws")
                .bind("user", user)
                .bind("ws", workspace)
                .mapTo(UUID.class)
                .one());
    }

    /** Records an expense (no MCP tool records one yet) and returns its id. */
    public static UUID expense(
            UUID workspace, UUID member, UUID project, String currency, long amountMinor, boolean isBillable) {
        return jdbi().withHandle(h -> h.createQuery("INSERT INTO expenses (workspace_id, membership_id, project_id,"
                        + " spent_on, category, amount_minor, currency, billable) VALUES (:ws, :member, :project,"
                        + " DATE '2026-03-03', 'Travel', :amount, :currency, :billable) RETURNING id")
                .bind("ws", workspace)
                .bind("member", member)
                .bind("project", project)
                .bind("amount", amountMinor)
                .bind("currency", currency)
                .bind("billable", isBillable)
                .mapTo(UUID.class)
                .one());
    }

    /** Puts the time entries on a new draft invoice for the client and returns the invoice's id. */
    public static UUID draftInvoice(UUID workspace, UUID client, String currency, UUID... entries) {
        return jdbi().inTransaction(h -> {
            UUID invoice = h.createQuery("INSERT INTO invoices (workspace_id, client_id, currency)"
                            + " VALUES (:ws, :client, :currency) RETURNING id")
                    .bind("ws", workspace)
                    .bind("client", client)
                    .bind("currency", currency)
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("UPDATE time_entries SET invoice_id = :invoice WHERE workspace_id = :ws AND id = ANY(:ids)")
                    .bind("invoice", invoice)
                    .bind("ws", workspace)
                    .bind("ids", entries)
                    .execute();
            return invoice;
        });
    }

    /** The MCP audit trail of the workspace as "actor action target_type/target_id", oldest first. */
    public static List<String> mcpAudit(UUID workspace, String actionPrefix) {
        return jdbi().withHandle(h -> h.createQuery("SELECT a.actor_id::text || ' ' || a.action || ' ' || a.target_type"
                        + " || '/' || a.target_id FROM audit_events a WHERE a.workspace_id = :ws AND a.channel = 'mcp'"
                        + " AND a.client_id IS NOT NULL AND a.action LIKE :prefix ORDER BY a.id")
                .bind("ws", workspace)
                .bind("prefix", actionPrefix + "%")
                .mapTo(String.class)
                .list());
    }

    private static Jdbi jdbi() {
        return TestDatabase.get().jdbi();
    }
}
