package com.timether.testing;

import java.util.UUID;

/**
 * What the OAuth tables hold for one person, so a test can show that a refused request issued nothing.
 *
 * @param pendingRequests authorization requests waiting on the consent page
 * @param codes authorization codes, used or not
 * @param liveCodes codes neither used nor burnt by a refused exchange
 * @param connections connections, revoked or not
 * @param liveConnections connections not revoked
 * @param tokens access and refresh tokens, revoked or not
 * @param liveTokens tokens not revoked, not rotated and not expired
 */
public record OAuthRows(
        long pendingRequests,
        long codes,
        long liveCodes,
        long connections,
        long liveConnections,
        long tokens,
        long liveTokens) {

    private static final String QUERY = "SELECT"
            + " (SELECT count(*) FROM authorization_requests WHERE user_id = :u) AS pending_requests,"
            + " (SELECT count(*) FROM authorization_codes WHERE user_id = :u) AS codes,"
            + " (SELECT count(*) FROM authorization_codes WHERE user_id = :u AND used_at IS NULL) AS live_codes,"
            + " (SELECT count(*) FROM connections WHERE user_id = :u) AS connections,"
            + " (SELECT count(*) FROM connections WHERE user_id = :u AND revoked_at IS NULL) AS live_connections,"
            + " (SELECT count(*) FROM oauth_tokens t JOIN connections c ON c.id = t.connection_id"
            + " WHERE c.user_id = :u) AS tokens,"
            + " (SELECT count(*) FROM oauth_tokens t JOIN connections c ON c.id = t.connection_id"
            + " WHERE c.user_id = :u AND t.revoked_at IS NULL AND t.rotated_at IS NULL"
            + " AND t.expires_at > now() AND c.revoked_at IS NULL) AS live_tokens";

    /** The rows of {@code userId} now. */
    public static OAuthRows of(UUID userId) {
        return TestServer.app()
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery(QUERY)
                        .bind("u", userId)
                        .map((rs, ctx) -> new OAuthRows(
                                rs.getLong("pending_requests"),
                                rs.getLong("codes"),
                                rs.getLong("live_codes"),
                                rs.getLong("connections"),
                                rs.getLong("live_connections"),
                                rs.getLong("tokens"),
                                rs.getLong("live_tokens")))
                        .one());
    }

    /** Whether no connection and no token exist: the person granted nothing to anyone. */
    public boolean isNothingIssued() {
        return connections == 0 && tokens == 0;
    }
}
