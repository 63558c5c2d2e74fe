package com.timether.member;

import com.timether.access.Role;
import com.timether.account.User;
import com.timether.account.UserService;
import com.timether.audit.AuditLog;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import com.timether.platform.text.StoredName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Adds people to workspaces and changes their role, status and rates, keeping at least one active owner. */
public final class MemberService {
    private static final String SELECT =
            "SELECT m.*, u.email, u.display_name FROM memberships m" + " JOIN users u ON u.id = m.user_id";

    private final Jdbi jdbi;
    private final UserService users;

    public MemberService(Jdbi jdbi, UserService users) {
        this.jdbi = jdbi;
        this.users = users;
    }

    /** Adds an existing account to a workspace. */
    public Member add(UUID workspaceId, String email, Role role, Actor actor) {
        User user = users.findByEmail(email)
                .orElseThrow(() -> DomainException.notFound(
                        "No user with email '" + InputRules.shorten(email) + "'; create the account first"));
        return jdbi.inTransaction(h -> {
            requireWorkspace(h, workspaceId);
            if (findByUser(h, workspaceId, user.id()).isPresent()) {
                throw DomainException.conflict(user.email() + " is already a member of this workspace");
            }
            UUID id = h.createQuery("INSERT INTO memberships (workspace_id, user_id, role) VALUES (:ws, :user, :role)"
                            + " RETURNING id")
                    .bind("ws", workspaceId)
                    .bind("user", user.id())
                    .bind("role", role.value())
                    .mapTo(UUID.class)
                    .one();
            AuditLog.record(
                    h,
                    workspaceId,
                    actor,
                    "member.add",
                    "membership",
                    id,
                    Map.of("email", user.email(), "role", role.value()));
            return find(h, workspaceId, id).orElseThrow();
        });
    }

    /** The members of a workspace, by name. */
    public List<Member> list(UUID workspaceId) {
        return jdbi.withHandle(
                h -> h.createQuery(SELECT + " WHERE m.workspace_id = :ws ORDER BY lower(u.display_name), m.id")
                        .bind("ws", workspaceId)
                        .map(MemberService::map)
                        .list());
    }

    /** The membership of {@code userId} in a workspace. */
    public Optional<Member> findByUser(UUID workspaceId, UUID userId) {
        return jdbi.withHandle(h -> findByUser(h, workspaceId, userId));
    }

    /** Changes a member's role; the last active owner cannot be demoted. */
    public Member setRole(UUID workspaceId, UUID memberId, Role role, Actor actor) {
        return jdbi.inTransaction(h -> setRole(h, workspaceId, memberId, role, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Member setRole(Handle h, UUID workspaceId, UUID memberId, Role role, Actor actor) {
        Member member = lockMember(h, workspaceId, memberId);
        if (member.role() == Role.OWNER && role != Role.OWNER) {
            requireAnotherActiveOwner(h, member);
        }
        h.createUpdate("UPDATE memberships SET role = :role, updated_at = now() WHERE id = :id")
                .bind("role", role.value())
                .bind("id", memberId)
                .execute();
        AuditLog.record(
                h,
                workspaceId,
                actor,
                "member.role",
                "membership",
                memberId,
                Map.of("from", member.role().value(), "to", role.value()));
        return find(h, workspaceId, memberId).orElseThrow();
    }

    /** Activates or deactivates a member; the last active owner cannot be deactivated. */
    public Member setStatus(UUID workspaceId, UUID memberId, MemberStatus status, Actor actor) {
        return jdbi.inTransaction(h -> setStatus(h, workspaceId, memberId, status, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Member setStatus(Handle h, UUID workspaceId, UUID memberId, MemberStatus status, Actor actor) {
        Member member = lockMember(h, workspaceId, memberId);
        if (member.role() == Role.OWNER && status == MemberStatus.INACTIVE) {
            requireAnotherActiveOwner(h, member);
        }
        h.createUpdate("UPDATE memberships SET status = :status, updated_at = now() WHERE id = :id")
                .bind("status", status.value())
                .bind("id", memberId)
                .execute();
        AuditLog.record(
                h, workspaceId, actor, "member.status", "membership", memberId, Map.of("status", status.value()));
        return find(h, workspaceId, memberId).orElseThrow();
    }

    /** Sets a member's hourly bill and cost rates in minor units; empty clears a rate. */
    public Member setRates(UUID workspaceId, UUID memberId, OptionalLong billRate, OptionalLong costRate, Actor actor) {
        return jdbi.inTransaction(h -> setRates(h, workspaceId, memberId, billRate, costRate, actor));
    }

    /** As the method above, within {@code h}'s transaction. */
    public Member setRates(
            Handle h, UUID workspaceId, UUID memberId, OptionalLong billRate, OptionalLong costRate, Actor actor) {
        billRate.ifPresent(rate -> InputRules.nonNegative("bill_rate", rate));
        costRate.ifPresent(rate -> InputRules.nonNegative("cost_rate", rate));
        lockMember(h, workspaceId, memberId);
        h.createUpdate("UPDATE memberships SET bill_rate_minor = :bill, cost_rate_minor = :cost,"
                        + " updated_at = now() WHERE id = :id")
                .bind("bill", billRate.isPresent() ? billRate.getAsLong() : null)
                .bind("cost", costRate.isPresent() ? costRate.getAsLong() : null)
                .bind("id", memberId)
                .execute();
        AuditLog.record(h, workspaceId, actor, "member.rates", "membership", memberId, Map.of());
        return find(h, workspaceId, memberId).orElseThrow();
    }

    private static Member lockMember(Handle h, UUID workspaceId, UUID memberId) {
        // Locks every owner row of the workspace too, so two concurrent demotions cannot both pass the check.
        h.createQuery("SELECT id FROM memberships WHERE workspace_id = :ws AND role = 'owner' FOR UPDATE")
                .bind("ws", workspaceId)
                .mapTo(UUID.class)
                .list();
        return find(h, workspaceId, memberId)
                .orElseThrow(() -> DomainException.notFound("No member with id " + memberId + " in this workspace"));
    }

    private static void requireAnotherActiveOwner(Handle h, Member member) {
        int others = h.createQuery("SELECT count(*) FROM memberships WHERE workspace_id = :ws AND role = 'owner'"
                        + " AND status = 'active' AND id <> :id")
                .bind("ws", member.workspaceId())
                .bind("id", member.id())
                .mapTo(Integer.class)
                .one();
        if (others == 0) {
            throw DomainException.conflict(
                    member.email() + " is the workspace's last active owner;" + " make someone else owner first");
        }
    }

    private static void requireWorkspace(Handle h, UUID workspaceId) {
        boolean exists = h.createQuery("SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :id)")
                .bind("id", workspaceId)
                .mapTo(Boolean.class)
                .one();
        if (!exists) {
            throw DomainException.notFound("No workspace with id " + workspaceId);
        }
    }

    static Optional<Member> find(Handle h, UUID workspaceId, UUID memberId) {
        return h.createQuery(SELECT + " WHERE m.workspace_id = :ws AND m.id = :id")
                .bind("ws", workspaceId)
                .bind("id", memberId)
                .map(MemberService::map)
                .findOne();
    }

    static Optional<Member> findByUser(Handle h, UUID workspaceId, UUID userId) {
        return h.createQuery(SELECT + " WHERE m.workspace_id = :ws AND m.user_id = :user")
                .bind("ws", workspaceId)
                .bind("user", userId)
                .map(MemberService::map)
                .findOne();
    }

    static Member map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Member(
                rs.getObject("id", UUID.class),
                rs.getObject("workspace_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("email"),
                rs.getString("display_name"),
                StoredName.require(Role.class, rs.getString("role")),
                StoredName.require(MemberStatus.class, rs.getString("status")),
                optionalLong(rs, "bill_rate_minor"),
                optionalLong(rs, "cost_rate_minor"));
    }

    private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
