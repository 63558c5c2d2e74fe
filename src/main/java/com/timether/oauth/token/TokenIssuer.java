package com.timether.oauth.token;

import com.timether.platform.crypto.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Mints opaque access and refresh tokens for a connection; only their hashes are stored. */
final class TokenIssuer {
    static final Duration ACCESS_LIFETIME = Duration.ofMinutes(30);
    static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

    private TokenIssuer() {}

    /** A freshly issued pair. */
    record Issued(String accessToken, String refreshToken, String scope, long expiresInSeconds) {}

    /** Issues an access token and a refresh token for {@code connectionId} within {@code h}'s transaction. */
    static Issued issue(Handle h, UUID connectionId, String scope) {
        String access = "tta_" + Secrets.random(32);
        String refresh = "ttr_" + Secrets.random(32);
        insert(h, access, "access", connectionId, scope, ACCESS_LIFETIME);
        insert(h, refresh, "refresh", connectionId, scope, REFRESH_LIFETIME);
        return new Issued(access, refresh, scope, ACCESS_LIFETIME.toSeconds());
    }

    private static void insert(Handle h, String token, String kind, UUID connectionId, String scope, Duration life) {
        h.createUpdate("INSERT INTO oauth_tokens (token_hash, kind, connection_id, scope, expires_at)"
                        + " VALUES (:hash, :kind, :connection, :scope, :expires)")
                .bind("hash", Secrets.hash(token))
                .bind("kind", kind)
                .bind("connection", connectionId)
                .bind("scope", scope)
                .bind("expires", Instant.now().plus(life))
                .execute();
    }
}
