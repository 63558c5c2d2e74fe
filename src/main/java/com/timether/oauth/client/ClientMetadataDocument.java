package com.timether.oauth.client;

import java.util.List;
import java.util.Optional;

/**
 * A validated Client ID Metadata Document: an HTTPS URL used as {@code client_id} whose JSON describes the client.
 *
 * @param clientId the URL, equal byte for byte to the document's {@code client_id}
 * @param clientName the name to show on the consent page (the URL's host when the document gives none)
 * @param redirectUris the registered redirect URIs, each valid by {@link RedirectUris}
 * @param clientUri the client's home page, an https URL, when the document names one
 */
public record ClientMetadataDocument(
        String clientId, String clientName, List<String> redirectUris, Optional<String> clientUri) {

    public ClientMetadataDocument {
        redirectUris = List.copyOf(redirectUris);
    }
}
