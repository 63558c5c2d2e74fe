package com.timether.oauth.client;

import java.util.List;

/**
 * A client the authorization server recognises, however it identified itself.
 *
 * @param isVerified whether its identity is tied to a domain (metadata document) rather than self-asserted
 *     through anonymous registration
 */
public record ResolvedClient(String clientId, String name, List<String> redirectUris, boolean isVerified) {

    public ResolvedClient {
        redirectUris = List.copyOf(redirectUris);
    }

    /** Whether {@code presented} is one of this client's redirect URIs. */
    public boolean allowsRedirect(String presented) {
        return presented != null && redirectUris.stream().anyMatch(r -> RedirectUris.matches(r, presented));
    }
}
