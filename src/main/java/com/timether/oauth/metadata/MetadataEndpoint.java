package com.timether.oauth.metadata;

import com.timether.access.Scope;
import com.timether.oauth.OAuthResponses;
import com.timether.platform.config.Settings;
import io.javalin.config.RoutesConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Authorization server metadata (RFC 8414) at the API origin's well-known address. */
public final class MetadataEndpoint {
    private final Map<String, Object> document;

    public MetadataEndpoint(Settings settings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        // RFC 8414 section 3.3: issuer must equal, byte for byte, the origin the document was fetched from.
        doc.put("issuer", settings.apiUrl());
        doc.put("authorization_endpoint", settings.appUrl() + "/oauth/authorize");
        doc.put("token_endpoint", settings.apiUrl() + "/oauth/token");
        doc.put("registration_endpoint", settings.apiUrl() + "/oauth/register");
        doc.put("revocation_endpoint", settings.apiUrl() + "/oauth/revoke");
        doc.put("scopes_supported", List.of(Scope.supportedList().split(" ")));
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("none"));
        doc.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        doc.put("client_id_metadata_document_supported", true);
        doc.put("authorization_response_iss_parameter_supported", true);
        this.document = Collections.unmodifiableMap(doc);
    }

    /** Registers the route. */
    public void register(RoutesConfig routes) {
        routes.get("/.well-known/oauth-authorization-server", ctx -> {
            OAuthResponses.json(ctx, 200, document);
            ctx.header("Cache-Control", "public, max-age=300");
        });
    }
}
