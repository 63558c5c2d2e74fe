package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.timether.oauth.OAuthException;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.oauth.connection.ConnectionStore.NewConnection;
import com.timether.platform.crypto.Secrets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code authorization_code} grant: one use per code, PKCE S256, same client, redirect URI and resource. */
final class AuthorizationCodeGrant {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeGrant.class);
    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

    private final Jdbi jdbi;
    private final GrantChecks checks;

    AuthorizationCodeGrant(Jdbi jdbi, GrantChecks checks) {
        this.jdbi = jdbi;
        this.checks = checks;
    }

    private record Code(
            String clientId,
            String redirectUri,
            String challenge,
            UUID userId,
            UUID workspaceId,
            String clientName,
            String scope,
            String resource,
            Instant expiresAt,
            boolean isUsed,
            UUID connectionId) {}

    TokenIssuer.Issued exchange(TokenParameters params) {
        String codeValue = params.required("code");
        String clientId = params.required("client_id");
        String redirectUri = params.required("redirect_uri");
        Optional<String> resource = params.optional("resource");
        Optional<String> verifier = params.optional("code_verifier");
        if (verifier.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_verifier is required (PKCE)");
        }
        return jdbi.inTransaction(h -> {
            Code code = lock(h, codeValue);
            if (code.isUsed()) {
                replayed(h, code);
            }
            try {
                check(code, clientId, redirectUri, resource, verifier.get());
                checks.requireEligible(h, code.userId(), code.workspaceId());
            } catch (OAuthException refused) {
                // Any failed attempt burns the code: a stolen code gets one guess, not many.
                markUsed(h, codeValue, null);
                h.commit();
                throw refused;
            }
            UUID connection = ConnectionStore.create(
                    h,
                    new NewConnection(
                            code.userId(),
                            code.workspaceId(),
                            code.clientId(),
                            code.clientName(),
                            code.scope(),
                            code.resource()));
            markUsed(h, codeValue, connection);
            return TokenIssuer.issue(h, connection, code.scope());
        });
    }

    private static void check(
            Code code, String clientId, String redirectUri, Optional<String> resource, String verifier) {
        if (!code.expiresAt().isAfter(Instant.now())) {
            throw new OAuthException(OAuth2Error.INVALID_GRANT, "authorization code expired; start again");
        }
        if (!code.clientId().equals(clientId)) {
            throw new OAuthException(OAuth2Error.INVALID_GRANT, "authorization code was issued to another client");
        }
        if (!code.redirectUri().equals(redirectUri)) {
            throw new OAuthException(
                    OAuth2Error.INVALID_GRANT, "redirect_uri differs from the one in the authorization request");
        }
        if (resource.isPresent() && !resource.get().equals(code.resource())) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "resource must be " + code.resource());
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw new OAuthException(
                    OAuth2Error.INVALID_GRANT, "code_verifier must be 43 to 128 unreserved characters");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier))
                .getValue();
        if (!Secrets.isEqual(computed, code.challenge())) {
            throw new OAuthException(OAuth2Error.INVALID_GRANT, "code_verifier does not match the code_challenge");
        }
    }

    /** RFC 6749 section 4.1.2: a code used twice revokes what it issued. */
    private static void replayed(Handle h, Code code) {
        LOG.warn("authorization code replayed client_id={} connection={}", code.clientId(), code.connectionId());
        if (code.connectionId() != null) {
            ConnectionStore.revoke(h, code.connectionId(), null, "authorization code replayed");
        }
        // Commit the revocation, then refuse: the exception must not roll it back.
        h.commit();
        throw new OAuthException(OAuth2Error.INVALID_GRANT, "authorization code was already used");
    }

    private static Code lock(Handle h, String codeValue) {
        return h.createQuery("SELECT * FROM authorization_codes WHERE code_hash = :hash FOR UPDATE")
                .bind("hash", Secrets.hash(codeValue))
                .map((rs, ctx) -> new Code(
                        rs.getString("client_id"),
                        rs.getString("redirect_uri"),
                        rs.getString("code_challenge"),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getString("client_name"),
                        rs.getString("scope"),
                        rs.getString("resource"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null,
                        rs.getObject("connection_id", UUID.class)))
                .findOne()
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_GRANT, "authorization code is not valid"));
    }

    private static void markUsed(Handle h, String codeValue, UUID connection) {
        h.createUpdate("UPDATE authorization_codes SET used_at = coalesce(used_at, now()),"
                        + " connection_id = :connection WHERE code_hash = :hash")
                .bind("hash", Secrets.hash(codeValue))
                .bind("connection", connection)
                .execute();
    }
}
