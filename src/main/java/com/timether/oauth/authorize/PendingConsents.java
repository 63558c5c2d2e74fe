package com.timether.oauth.authorize;

import com.timether.access.Scope;
import com.timether.oauth.client.ResolvedClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Authorization requests waiting on the consent page, stored so the form carries only an id: the person cannot
 * alter the client, redirect URI, challenge or scope between page and decision.
 */
final class PendingConsents {
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Jdbi jdbi;

    PendingConsents(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    UUID save(UUID userId, AuthorizationRequest request) {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO authorization_requests (user_id, client_id, client_name,"
                        + " is_verified, redirect_uri, state, code_challenge, scope, resource, expires_at)"
                        + " VALUES (:user, :client, :name, :verified, :redirect, :state, :challenge, :scope,"
                        + " :resource, :expires) RETURNING id")
                .bind("user", userId)
                .bind("client", request.client().clientId())
                .bind("name", request.client().name())
                .bind("verified", request.client().isVerified())
                .bind("redirect", request.redirectUri())
                .bind("state", request.state().orElse(null))
                .bind("challenge", request.codeChallenge())
                .bind("scope", request.scope().value())
                .bind("resource", request.resource())
                .bind("expires", Instant.now().plus(LIFETIME))
                .mapTo(UUID.class)
                .one());
    }

    /** The live pending request of this person. */
    Optional<AuthorizationRequest> find(UUID id, UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM authorization_requests"
                        + " WHERE id = :id AND user_id = :user AND expires_at > now()")
                .bind("id", id)
                .bind("user", userId)
                .map((rs, ctx) -> new AuthorizationRequest(
                        new ResolvedClient(
                                rs.getString("client_id"),
                                rs.getString("client_name"),
                                List.of(rs.getString("redirect_uri")),
                                rs.getBoolean("is_verified")),
                        rs.getString("redirect_uri"),
                        Optional.ofNullable(rs.getString("state")),
                        rs.getString("code_challenge"),
                        Scope.parse(rs.getString("scope")).orElseThrow(),
                        rs.getString("resource")))
                .findOne());
    }

    /** Removes a request once decided; false when another tab decided it first. */
    boolean remove(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM authorization_requests WHERE id = :id")
                        .bind("id", id)
                        .execute())
                > 0;
    }
}
