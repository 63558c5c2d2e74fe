package com.timether.invite;

import com.timether.access.Role;
import com.timether.audit.AuditLog;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import com.timether.platform.text.StoredName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Invites people by email; the invite email is written to the outbox in the same transaction. */
public final class InviteService {
    static final Duration VALIDITY = Duration.ofDays(7);

    private final Jdbi jdbi;
    private final String appUrl;

    public InviteService(Jdbi jdbi, String appUrl) {
        this.jdbi = jdbi;
        this.appUrl = appUrl;
    }

    /** Invites {@code email} with {@code role}; owners are made by promotion, not invitation. */
    public Invite create(UUID workspaceId, String email, Role role, UUID invitedBy, Actor actor) {
        return jdbi.inTransaction(h -> create(h, workspaceId, email, role, invitedBy, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Invite create(Handle h, UUID workspaceId, String email, Role role, UUID invitedBy, Actor actor) {
        String address = InputRules.email("email", email);
        if (role == Role.OWNER) {
            throw DomainException.invalid("role must be admin, manager or member; promote an admin to owner instead");
        }
        if (isMember(h, workspaceId, address)) {
            throw DomainException.conflict(address + " is already a member of this workspace");
        }
        if (findPending(h, workspaceId, address).size() > 0) {
            throw DomainException.conflict(
                    address + " already has a pending or expired invite; resend it instead (resending renews it)");
        }
        String token = Secrets.random(32);
        UUID id = h.createQuery("INSERT INTO invites (workspace_id, email, role, token_hash, invited_by, expires_at)"
                        + " VALUES (:ws, :email, :role, :hash, :by, :expires) RETURNING id")
                .bind("ws", workspaceId)
                .bind("email", address)
                .bind("role", role.value())
                .bind("hash", Secrets.hash(token))
                .bind("by", invitedBy)
                .bind("expires", Instant.now().plus(VALIDITY))
                .mapTo(UUID.class)
                .one();
        writeEmail(h, workspaceId, address, token);
        AuditLog.record(
                h, workspaceId, actor, "invite.create", "invite", id, Map.of("email", address, "role", role.value()));
        return find(h, workspaceId, id);
    }

    /** Sends a pending invite again with a fresh link and a fresh expiry. */
    public Invite resend(UUID workspaceId, UUID inviteId, Actor actor) {
        return jdbi.inTransaction(h -> resend(h, workspaceId, inviteId, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Invite resend(Handle h, UUID workspaceId, UUID inviteId, Actor actor) {
        Invite invite = requirePending(h, workspaceId, inviteId);
        String token = Secrets.random(32);
        h.createUpdate("UPDATE invites SET token_hash = :hash, expires_at = :expires, sent_count = sent_count + 1,"
                        + " updated_at = now() WHERE id = :id")
                .bind("hash", Secrets.hash(token))
                .bind("expires", Instant.now().plus(VALIDITY))
                .bind("id", inviteId)
                .execute();
        writeEmail(h, workspaceId, invite.email(), token);
        AuditLog.record(h, workspaceId, actor, "invite.resend", "invite", inviteId, Map.of());
        return find(h, workspaceId, inviteId);
    }

    /** Revokes a pending invite; its link stops working. */
    public Invite revoke(UUID workspaceId, UUID inviteId, Actor actor) {
        return jdbi.inTransaction(h -> revoke(h, workspaceId, inviteId, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Invite revoke(Handle h, UUID workspaceId, UUID inviteId, Actor actor) {
        requirePending(h, workspaceId, inviteId);
        h.createUpdate("UPDATE invites SET status = 'revoked', updated_at = now() WHERE id = :id")
                .bind("id", inviteId)
                .execute();
        AuditLog.record(h, workspaceId, actor, "invite.revoke", "invite", inviteId, Map.of());
        return find(h, workspaceId, inviteId);
    }

    /** The open (pending or expired) invite with this id in the workspace, read within {@code h}'s transaction. */
    public Optional<Invite> findOpen(Handle h, UUID workspaceId, UUID inviteId) {
        return h.createQuery("SELECT * FROM invites WHERE workspace_id = :ws AND id = :id AND status = 'pending'")
                .bind("ws", workspaceId)
                .bind("id", inviteId)
                .map(InviteService::map)
                .findOne();
    }

    /** Open (pending or expired) invites of a workspace, newest first. */
    public List<Invite> listPending(UUID workspaceId) {
        return jdbi.withHandle(h -> listPending(h, workspaceId, Optional.empty(), Integer.MAX_VALUE));
    }

    /** At most {@code limit} open invites after the key {@code after} (created at, id), newest first. */
    public List<Invite> listPending(Handle h, UUID workspaceId, Optional<After> after, int limit) {
        return h.createQuery("SELECT * FROM invites WHERE workspace_id = :ws AND status = 'pending'"
                        + " AND (CAST(:afterCreated AS timestamptz) IS NULL"
                        + " OR (created_at, id) < (:afterCreated, CAST(:afterId AS uuid)))"
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("ws", workspaceId)
                .bind("afterCreated", after.map(After::createdAt).orElse(null))
                .bind("afterId", after.map(After::id).orElse(null))
                .bind("limit", limit)
                .map(InviteService::map)
                .list();
    }

    private void writeEmail(Handle h, UUID workspaceId, String address, String token) {
        String workspace = h.createQuery("SELECT name FROM workspaces WHERE id = :id")
                .bind("id", workspaceId)
                .mapTo(String.class)
                .one();
        h.createUpdate("INSERT INTO outbox_emails (to_address, subject, body) VALUES (:to, :subject, :body)")
                .bind("to", address)
                .bind("subject", "You are invited to " + workspace + " on Timether")
                .bind(
                        "body",
                        "Join " + workspace + " on Timether: " + appUrl + "/invites/" + token + "\nThe link works for "
                                + VALIDITY.toDays() + " days.")
                .execute();
    }

    private static Invite requirePending(Handle h, UUID workspaceId, UUID inviteId) {
        Invite invite = find(h, workspaceId, inviteId);
        if (!invite.isOpen()) {
            throw DomainException.conflict("Invite " + inviteId + " is " + invite.status() + ", not pending");
        }
        return invite;
    }

    private static boolean isMember(Handle h, UUID workspaceId, String email) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id"
                        + " WHERE m.workspace_id = :ws AND lower(u.email) = :email)")
                .bind("ws", workspaceId)
                .bind("email", email)
                .mapTo(Boolean.class)
                .one();
    }

    private static List<UUID> findPending(Handle h, UUID workspaceId, String email) {
        return h.createQuery("SELECT id FROM invites WHERE workspace_id = :ws AND lower(email) = :email"
                        + " AND status = 'pending'")
                .bind("ws", workspaceId)
                .bind("email", email)
                .mapTo(UUID.class)
                .list();
    }

    private static Invite find(Handle h, UUID workspaceId, UUID inviteId) {
        return h.createQuery("SELECT * FROM invites WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId)
                .bind("id", inviteId)
                .map(InviteService::map)
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No invite with id " + inviteId + " in this workspace"));
    }

    /** The sort key of the last invite of a page. */
    public record After(Instant createdAt, UUID id) {}

    static Invite map(ResultSet rs, StatementContext ctx) throws SQLException {
        Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
        String status = rs.getString("status");
        boolean isExpired = status.equals("pending") && !expiresAt.isAfter(Instant.now());
        return new Invite(
                rs.getObject("id", UUID.class),
                rs.getObject("workspace_id", UUID.class),
                rs.getString("email"),
                StoredName.require(Role.class, rs.getString("role")),
                isExpired ? "expired" : status,
                expiresAt,
                rs.getTimestamp("created_at").toInstant());
    }
}
