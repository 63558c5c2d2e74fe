package com.timether.oauth.authorize;

import com.timether.access.Scope;
import com.timether.oauth.client.ResolvedClient;
import java.util.Optional;

/**
 * A validated authorization request, safe to act on: the client is known and the redirect URI is one of its own.
 *
 * @param scope the widest scope requested
 */
public record AuthorizationRequest(
        ResolvedClient client,
        String redirectUri,
        Optional<String> state,
        String codeChallenge,
        Scope scope,
        String resource) {}
