package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.oauth.OAuthException;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.platform.crypto.Secrets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code refresh_token} grant: every use rotates the token, and presenting a rotated token again revokes the
 * whole connection (OAuth 2.1 section 4.3.1). Scopes may narrow, never widen.
 */
final class RefreshTokenGrant {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);

    private final Jdbi jdbi;
    private final GrantChecks checks;

    RefreshTokenGrant(Jdbi jdbi, GrantChecks checks) {
        this.jdbi = jdbi;
        this.checks = checks;
    }

    private record Stored(
            UUID connectionId,
            String scope,
            Instant expiresAt,
            boolean isRotated,
            boolean isRevoked,
            String clientId,
            UUID userId,
            UUID workspaceId,
            String resource) {}

    TokenIssuer.Issued refresh(TokenParameters params) {
        String token = params.required("refresh_token");
        String clientId = params.required("client_id");
        Optional<String> resource = params.optional("resource");
        Optional<String> requestedScope = params.optional("scope");
        return jdbi.inTransaction(h -> {
            Stored stored = lock(h, token);
            if (stored.isRotated() && !stored.isRevoked()) {
                LOG.warn("refresh token reused client_id={} connection={}", stored.clientId(), stored.connectionId());
                ConnectionStore.revoke(h, stored.connectionId(), null, "rotated refresh token reused");
                h.commit();
                throw new OAuthException(OAuth2Error.INVALID_GRANT, "refresh token was already used");
            }
            if (stored.isRevoked()) {
                throw new OAuthException(OAuth2Error.INVALID_GRANT, "refresh token was revoked");
            }
            if (!stored.expiresAt().isAfter(Instant.now())) {
                throw new OAuthException(OAuth2Error.INVALID_GRANT, "refresh token expired; connect again");
            }
            if (!stored.clientId().equals(clientId)) {
                throw new OAuthException(OAuth2Error.INVALID_GRANT, "refresh token was issued to another client");
            }
            if (resource.isPresent() && !resource.get().equals(stored.resource())) {
                throw new OAuthException(OAuth2Error.INVALID_TARGET, "resource must be " + stored.resource());
            }
            Scope scope = narrowed(stored.scope(), requestedScope);
            Role role = checks.requireEligible(h, stored.userId(), stored.workspaceId());
            h.createUpdate("UPDATE oauth_tokens SET rotated_at = now() WHERE token_hash = :hash")
                    .bind("hash", Secrets.hash(token))
                    .execute();
            return TokenIssuer.issue(
                    h,
                    stored.connectionId(),
                    scope.min(role.maxGrantableScope()).withIncluded());
        });
    }

    private static Scope narrowed(String granted, Optional<String> requested) {
        Scope current = Scope.widest(granted).orElse(Scope.READ);
        if (requested.isEmpty()) {
            return current;
        }
        Scope wanted;
        try {
            wanted = Scope.widest(requested.get()).orElse(current);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, e.getMessage());
        }
        if (!current.includes(wanted)) {
            throw new OAuthException(
                    OAuth2Error.INVALID_SCOPE, "scope may only narrow; this connection was granted " + granted);
        }
        return wanted;
    }

    private static Stored lock(Handle h, String token) {
        return h.createQuery("SELECT t.*, c.client_id, c.user_id, c.workspace_id, c.resource,"
                        + " c.revoked_at AS connection_revoked_at FROM oauth_tokens t"
                        + " JOIN connections c ON c.id = t.connection_id"
                        + " WHERE t.token_hash = :hash AND t.kind = 'refresh' FOR UPDATE OF t, c")
                .bind("hash", Secrets.hash(token))
                .map((rs, ctx) -> new Stored(
                        rs.getObject("connection_id", UUID.class),
                        rs.getString("scope"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("rotated_at") != null,
                        rs.getTimestamp("revoked_at") != null || rs.getTimestamp("connection_revoked_at") != null,
                        rs.getString("client_id"),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getString("resource")))
                .findOne()
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_GRANT, "refresh token is not valid"));
    }
}
