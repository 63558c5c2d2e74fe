package com.timether.oauth.client;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Finds the client behind a {@code client_id}: a metadata document URL, or a dynamically registered id. */
public final class ClientResolver {

    /** Fetches and validates a Client ID Metadata Document. */
    @FunctionalInterface
    public interface DocumentSource {
        ClientMetadataDocument fetch(String url) throws ClientIdentityException;
    }

    private final Jdbi jdbi;
    private final DocumentSource documents;

    public ClientResolver(Jdbi jdbi, DocumentSource documents) {
        this.jdbi = jdbi;
        this.documents = documents;
    }

    /** The client, or a refusal saying why it is not recognised. */
    public ResolvedClient resolve(String clientId) throws ClientIdentityException {
        if (clientId == null || clientId.isBlank()) {
            throw new ClientIdentityException("client_id is missing");
        }
        if (clientId.startsWith("https://")) {
            ClientMetadataDocument document = documents.fetch(clientId);
            return new ResolvedClient(document.clientId(), document.clientName(), document.redirectUris(), true);
        }
        return registered(clientId)
                .orElseThrow(() -> new ClientIdentityException("client_id '" + shorten(clientId)
                        + "' is neither a registered client nor an https metadata document URL"));
    }

    private Optional<ResolvedClient> registered(String clientId) {
        if (clientId.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT client_id, client_name, redirect_uris FROM oauth_clients" + " WHERE client_id = :id")
                .bind("id", clientId)
                .map((rs, ctx) -> new ResolvedClient(
                        rs.getString("client_id"),
                        rs.getString("client_name"),
                        List.copyOf(Arrays.asList(
                                (String[]) rs.getArray("redirect_uris").getArray())),
                        false))
                .findOne());
    }

    private static String shorten(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
