package com.timether.oauth.authorize;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.access.Scope;
import com.timether.oauth.OAuthException;
import com.timether.oauth.client.ClientIdentityException;
import com.timether.oauth.client.ClientResolver;
import com.timether.oauth.client.ResolvedClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates the query of an authorization request in the order that keeps redirects safe: first the client and
 * its redirect URI (failures are shown on a page, never redirected), then everything else (failures are sent
 * back to the now-trusted redirect URI).
 */
final class AuthorizationRequestParser {
    /** RFC 7636 section 4.2: an S256 challenge is the unpadded base64url of a SHA-256 digest, 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");

    static final Scope DEFAULT_SCOPE = Scope.WRITE;

    private final ClientResolver clients;
    private final String resource;

    AuthorizationRequestParser(ClientResolver clients, String resource) {
        this.clients = clients;
        this.resource = resource;
    }

    /** A failure before the redirect URI is trusted: shown to the person, never redirected. */
    static final class UntrustedRedirectException extends Exception {
        UntrustedRedirectException(String message) {
            super(message);
        }
    }

    /** A failure after the redirect URI is trusted: sent back to the client there. */
    static final class RedirectableException extends Exception {
        final ResolvedClient client;
        final String redirectUri;
        final Optional<String> state;
        final OAuthException error;

        RedirectableException(ResolvedClient client, String redirectUri, Optional<String> state, OAuthException error) {
            super(error.getMessage());
            this.client = client;
            this.redirectUri = redirectUri;
            this.state = state;
            this.error = error;
        }
    }

    AuthorizationRequest parse(Map<String, List<String>> query)
            throws UntrustedRedirectException, RedirectableException {
        ResolvedClient client;
        try {
            client = clients.resolve(single(query, "client_id").orElse(null));
        } catch (ClientIdentityException e) {
            throw new UntrustedRedirectException("The application could not be identified: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UntrustedRedirectException(e.getMessage());
        }
        String redirectUri = redirectUri(client, query);
        Optional<String> state = single(query, "state").filter(s -> !s.isEmpty());
        try {
            return new AuthorizationRequest(
                    client, redirectUri, checkState(state), challenge(query), scope(query), resource(query));
        } catch (OAuthException | IllegalArgumentException e) {
            OAuthException error = e instanceof OAuthException oauth
                    ? oauth
                    : new OAuthException(OAuth2Error.INVALID_REQUEST, e.getMessage());
            throw new RedirectableException(client, redirectUri, state.filter(s -> s.length() <= 500), error);
        }
    }

    private static String redirectUri(ResolvedClient client, Map<String, List<String>> query)
            throws UntrustedRedirectException {
        Optional<String> presented;
        try {
            presented = single(query, "redirect_uri");
        } catch (IllegalArgumentException e) {
            throw new UntrustedRedirectException(e.getMessage());
        }
        if (presented.isEmpty()) {
            // RFC 6749 section 3.1.2.3: without redirect_uri, a client with one registered URI uses that one.
            if (client.redirectUris().size() == 1) {
                return client.redirectUris().getFirst();
            }
            throw new UntrustedRedirectException("redirect_uri is missing and the application registered several");
        }
        if (!client.allowsRedirect(presented.get())) {
            throw new UntrustedRedirectException(
                    "redirect_uri is not one of the addresses " + client.name() + " registered");
        }
        return presented.get();
    }

    private static Optional<String> checkState(Optional<String> state) {
        if (state.isPresent() && state.get().length() > 500) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "state must be at most 500 characters");
        }
        return state;
    }

    private static String challenge(Map<String, List<String>> query) {
        if (!"code".equals(single(query, "response_type").orElse(""))) {
            throw new OAuthException(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code");
        }
        String method = single(query, "code_challenge_method").orElse("");
        Optional<String> challenge = single(query, "code_challenge");
        if (challenge.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_challenge is required (PKCE with S256)");
        }
        if (!"S256".equals(method)) {
            throw new OAuthException(
                    OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256; plain is not supported");
        }
        if (!CHALLENGE.matcher(challenge.get()).matches()) {
            throw new OAuthException(
                    OAuth2Error.INVALID_REQUEST, "code_challenge must be 43 base64url characters (S256)");
        }
        return challenge.get();
    }

    private static Scope scope(Map<String, List<String>> query) {
        try {
            return Scope.widest(single(query, "scope").orElse("")).orElse(DEFAULT_SCOPE);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, e.getMessage());
        }
    }

    private String resource(Map<String, List<String>> query) {
        List<String> values = query.getOrDefault("resource", List.of());
        // RFC 8707: when absent the token is still bound to our one resource.
        if (values.isEmpty()) {
            return resource;
        }
        if (values.size() > 1 || !resource.equals(values.getFirst())) {
            throw new OAuthException(
                    OAuth2Error.INVALID_TARGET, "resource must be " + resource + ", the only resource served here");
        }
        return resource;
    }

    /** The one value of a parameter; RFC 6749 section 3.1 forbids repeating one. */
    static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + " must not be repeated");
        }
        return values.stream().findFirst();
    }
}
