package com.timether.oauth.revoke;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.oauth.OAuthException;
import com.timether.oauth.OAuthResponses;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.oauth.token.FormRequests;
import com.timether.oauth.token.TokenParameters;
import com.timether.platform.crypto.Secrets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token revocation (RFC 7009) for public clients: a refresh token ends its whole connection, an access token
 * only itself. Unknown tokens are answered 200 as the RFC asks (section 2.2).
 */
public final class RevocationEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationEndpoint.class);

    private final Jdbi jdbi;

    public RevocationEndpoint(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Registers the route. */
    public void register(RoutesConfig routes) {
        routes.post("/oauth/revoke", this::handle);
    }

    private record Found(String kind, UUID connectionId, String clientId) {}

    private void handle(Context ctx) {
        try {
            TokenParameters params = FormRequests.parameters(ctx);
            String token = params.required("token");
            String clientId = params.required("client_id");
            jdbi.useTransaction(h -> {
                var found = h.createQuery("SELECT t.kind, t.connection_id, c.client_id FROM oauth_tokens t"
                                + " JOIN connections c ON c.id = t.connection_id WHERE t.token_hash = :hash")
                        .bind("hash", Secrets.hash(token))
                        .map((rs, c) -> new Found(
                                rs.getString("kind"),
                                rs.getObject("connection_id", UUID.class),
                                rs.getString("client_id")))
                        .findOne();
                if (found.isEmpty()) {
                    return;
                }
                if (!found.get().clientId().equals(clientId)) {
                    throw new OAuthException(OAuth2Error.INVALID_CLIENT, "the token was not issued to this client");
                }
                if ("refresh".equals(found.get().kind())) {
                    ConnectionStore.revoke(h, found.get().connectionId(), null, "refresh token revoked by the client");
                } else {
                    h.createUpdate("UPDATE oauth_tokens SET revoked_at = now() WHERE token_hash = :hash")
                            .bind("hash", Secrets.hash(token))
                            .execute();
                }
            });
            OAuthResponses.json(ctx, 200, Map.of());
        } catch (OAuthException e) {
            LOG.debug("revocation rejected: {}", e.getMessage());
            OAuthResponses.error(ctx, e);
        }
    }
}
