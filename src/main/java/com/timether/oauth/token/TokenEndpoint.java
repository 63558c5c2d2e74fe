package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.oauth.OAuthException;
import com.timether.oauth.OAuthResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The token endpoint (RFC 6749 section 3.2) for public clients: authorization code and refresh token grants. */
public final class TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final AuthorizationCodeGrant codes;
    private final RefreshTokenGrant refreshes;

    public TokenEndpoint(Jdbi jdbi, boolean isMcpOn) {
        GrantChecks checks = new GrantChecks(isMcpOn);
        this.codes = new AuthorizationCodeGrant(jdbi, checks);
        this.refreshes = new RefreshTokenGrant(jdbi, checks);
    }

    /** Registers the route. */
    public void register(RoutesConfig routes) {
        routes.post("/oauth/token", this::handle);
    }

    private void handle(Context ctx) {
        TokenParameters params = new TokenParameters(Map.of());
        try {
            params = FormRequests.parameters(ctx);
            if (ctx.header("Authorization") != null) {
                // RFC 6749 section 5.2: a 401 invalid_client names the scheme the client tried.
                ctx.header("WWW-Authenticate", ctx.header("Authorization").split(" ", 2)[0] + " realm=\"timether\"");
                throw new OAuthException(
                        OAuth2Error.INVALID_CLIENT, "client authentication is not supported: clients are public");
            }
            String grantType = params.required("grant_type");
            TokenIssuer.Issued issued = switch (grantType) {
                case "authorization_code" -> codes.exchange(params);
                case "refresh_token" -> refreshes.refresh(params);
                default ->
                    throw new OAuthException(
                            OAuth2Error.UNSUPPORTED_GRANT_TYPE,
                            "grant_type must be authorization_code or refresh_token");
            };
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", issued.accessToken());
            body.put("token_type", "Bearer");
            body.put("expires_in", issued.expiresInSeconds());
            body.put("refresh_token", issued.refreshToken());
            body.put("scope", issued.scope());
            OAuthResponses.json(ctx, 200, body);
        } catch (OAuthException e) {
            LOG.debug("token request rejected client_id={}: {}", clientIdOf(params), e.getMessage());
            OAuthResponses.error(ctx, e);
        }
    }

    private static String clientIdOf(TokenParameters params) {
        try {
            return params.optional("client_id").orElse("-");
        } catch (OAuthException e) {
            return "-";
        }
    }
}
