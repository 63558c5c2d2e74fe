package com.timether.invite;

import com.timether.access.Role;
import com.timether.account.User;
import com.timether.account.UserService;
import com.timether.audit.AuditLog;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.StoredName;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Turns an invite link into a membership of the invited person, with a new account if they have none. */
public final class InviteAcceptance {
    private static final String OFFER = "SELECT i.id, i.workspace_id, w.name AS workspace_name, w.status AS ws_status,"
            + " w.time_zone, i.email, i.role, i.status, i.expires_at,"
            + " EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(i.email)) AS has_account"
            + " FROM invites i JOIN workspaces w ON w.id = i.workspace_id WHERE i.token_hash = :hash";

    private final Jdbi jdbi;
    private final UserService users;

    public InviteAcceptance(Jdbi jdbi, UserService users) {
        this.jdbi = jdbi;
        this.users = users;
    }

    /**
     * What an invite link offers.
     *
     * @param status {@code pending}, {@code expired}, {@code accepted} or {@code revoked}
     * @param hasAccount whether an account with the invited email exists, so the person signs in rather than joins
     */
    public record Offer(
            UUID inviteId,
            UUID workspaceId,
            String workspaceName,
            boolean isWorkspaceClosed,
            String timeZone,
            String email,
            Role role,
            String status,
            boolean hasAccount) {

        /** Whether the link can still be accepted. */
        public boolean isAcceptable() {
            return status.equals("pending") && !isWorkspaceClosed;
        }

        /** Why the link cannot be accepted, in words for the page; empty when it can. */
        public String refusal() {
            return switch (status) {
                case "pending" -> isWorkspaceClosed ? workspaceName + " is closed." : "";
                case "expired" -> "This invite expired. Ask an admin of " + workspaceName + " to send it again.";
                case "accepted" -> "This invite was already accepted. Sign in to use " + workspaceName + ".";
                default -> "This invite was withdrawn by an admin of " + workspaceName + ".";
            };
        }
    }

    /** The offer behind a link's token, or empty when no invite has that token (never issued, or resent since). */
    public Optional<Offer> find(String token) {
        return jdbi.withHandle(h -> find(h, token, ""));
    }

    /** Accepts the invite for {@code user}, who must be the active account of the invited email. */
    public void accept(String token, User user) {
        jdbi.useTransaction(h -> accept(h, token, user));
    }

    /**
     * Creates the invited person's account and accepts the invite for it. The account is created first, in its own
     * transaction, because its password hash takes long to compute; if the invite is withdrawn in between, the account
     * stays without the membership.
     */
    public User join(String token, String displayName, String password) {
        Offer offer = find(token).orElseThrow(InviteAcceptance::unknown);
        requireAcceptable(offer);
        if (offer.hasAccount()) {
            throw DomainException.conflict(
                    "An account for " + offer.email() + " already exists; sign in with it to accept the invite.");
        }
        User user = users.create(offer.email(), displayName, password, offer.timeZone());
        accept(token, user);
        return user;
    }

    private void accept(Handle h, String token, User user) {
        // The row lock makes a concurrent revoke, resend or second acceptance wait and then see this one's outcome.
        Offer offer = find(h, token, " FOR UPDATE OF i").orElseThrow(InviteAcceptance::unknown);
        requireAcceptable(offer);
        if (!offer.email().equalsIgnoreCase(user.email())) {
            throw DomainException.forbidden("This invite is for " + offer.email() + ", not for " + user.email()
                    + ". Sign in as " + offer.email() + " to accept it.");
        }
        if (!user.isActive()) {
            throw DomainException.forbidden("The account " + user.email() + " is disabled.");
        }
        if (isMember(h, offer.workspaceId(), user.id())) {
            throw DomainException.conflict(user.email() + " is already a member of " + offer.workspaceName() + ".");
        }
        UUID membership = h.createQuery("INSERT INTO memberships (workspace_id, user_id, role)"
                        + " VALUES (:ws, :user, :role) RETURNING id")
                .bind("ws", offer.workspaceId())
                .bind("user", user.id())
                .bind("role", offer.role().value())
                .mapTo(UUID.class)
                .one();
        h.createUpdate("UPDATE invites SET status = 'accepted', updated_at = now() WHERE id = :id")
                .bind("id", offer.inviteId())
                .execute();
        AuditLog.record(
                h,
                offer.workspaceId(),
                Actor.web(user.id()),
                "invite.accept",
                "invite",
                offer.inviteId(),
                Map.of(
                        "membership_id",
                        membership.toString(),
                        "role",
                        offer.role().value()));
    }

    private static Optional<Offer> find(Handle h, String token, String lock) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return h.createQuery(OFFER + lock)
                .bind("hash", Secrets.hash(token))
                .map((rs, ctx) -> {
                    String status = rs.getString("status");
                    boolean isExpired = status.equals("pending")
                            && !rs.getTimestamp("expires_at").toInstant().isAfter(Instant.now());
                    return new Offer(
                            rs.getObject("id", UUID.class),
                            rs.getObject("workspace_id", UUID.class),
                            rs.getString("workspace_name"),
                            "closed".equals(rs.getString("ws_status")),
                            rs.getString("time_zone"),
                            rs.getString("email"),
                            StoredName.require(Role.class, rs.getString("role")),
                            isExpired ? "expired" : status,
                            rs.getBoolean("has_account"));
                })
                .findOne();
    }

    private static void requireAcceptable(Offer offer) {
        if (!offer.isAcceptable()) {
            throw DomainException.conflict(offer.refusal());
        }
    }

    private static boolean isMember(Handle h, UUID workspaceId, UUID userId) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = :ws AND user_id = :user)")
                .bind("ws", workspaceId)
                .bind("user", userId)
                .mapTo(Boolean.class)
                .one();
    }

    private static DomainException unknown() {
        return DomainException.notFound(
                "This invite link is not valid. It may have been replaced by a newer email; use the latest one.");
    }
}
