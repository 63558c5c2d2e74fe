package com.timether.mcp.tool;

import com.timether.oauth.check.Principal;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.error.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * One-time confirmation tokens for consequential tools (PRODUCT section 5): bound to the user, connection,
 * workspace, tool and arguments, valid five minutes, usable once.
 */
final class Confirmations {
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private Confirmations() {}

    /** A token just issued. */
    record Issued(String token, Instant expiresAt) {}

    static Issued issue(Handle h, Principal principal, String tool, String argsHash) {
        String token = "tcf_" + Secrets.random(24);
        Instant expires = Instant.now().plus(LIFETIME);
        h.createUpdate("INSERT INTO confirmations (token_hash, user_id, connection_id, workspace_id, tool, args_hash,"
                        + " expires_at) VALUES (:hash, :user, :connection, :ws, :tool, :args, :expires)")
                .bind("hash", Secrets.hash(token))
                .bind("user", principal.userId())
                .bind("connection", principal.connectionId())
                .bind("ws", principal.workspace().id())
                .bind("tool", tool)
                .bind("args", argsHash)
                .bind("expires", expires)
                .execute();
        return new Issued(token, expires);
    }

    private record Stored(
            UUID user, UUID connection, UUID workspace, String tool, String args, Instant expires, boolean isUsed) {}

    /** Uses the token up within the call's transaction, or refuses saying exactly why. */
    static void consume(Handle h, Principal principal, String tool, String argsHash, String token) {
        Optional<Stored> stored = h.createQuery("SELECT * FROM confirmations WHERE token_hash = :hash FOR UPDATE")
                .bind("hash", Secrets.hash(token))
                .map((rs, ctx) -> new Stored(
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("connection_id", UUID.class),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getString("tool"),
                        rs.getString("args_hash"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null))
                .findOne();
        String again = " Call " + tool + " again without confirmation_token to get a new one.";
        if (stored.isEmpty()
                || !stored.get().user().equals(principal.userId())
                || !stored.get().connection().equals(principal.connectionId())
                || !stored.get().workspace().equals(principal.workspace().id())) {
            throw DomainException.invalid("confirmation_token is not valid for this connection." + again);
        }
        if (stored.get().isUsed()) {
            throw DomainException.invalid("confirmation_token was already used; each token works once." + again);
        }
        if (!stored.get().expires().isAfter(Instant.now())) {
            throw DomainException.invalid("confirmation_token expired (tokens last 5 minutes)." + again);
        }
        if (!stored.get().tool().equals(tool)) {
            throw DomainException.invalid(
                    "confirmation_token was issued for " + stored.get().tool() + ", not " + tool + "." + again);
        }
        if (!stored.get().args().equals(argsHash)) {
            throw DomainException.invalid(
                    "confirmation_token was issued for other arguments; repeat the call with the same arguments."
                            + again);
        }
        h.createUpdate("UPDATE confirmations SET used_at = now() WHERE token_hash = :hash")
                .bind("hash", Secrets.hash(token))
                .execute();
    }
}
