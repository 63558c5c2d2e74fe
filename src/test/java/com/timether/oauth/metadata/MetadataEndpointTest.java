package com.timether.oauth.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.OAuthFlow;
import com.timether.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Authorization server metadata (RFC 8414) as an MCP client reads it before anything else. */
class MetadataEndpointTest {

    @Test
    void get_wellKnownAddress_describesThisServer() {
        String base = TestServer.baseUrl();

        HttpResponse<String> response = new OAuthFlow().get("/.well-known/oauth-authorization-server");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode doc = OAuthFlow.json(response);
        // RFC 8414 section 3.3: byte for byte the origin the client fetched the document from.
        assertThat(doc.get("issuer").asString()).isEqualTo(base);
        assertThat(doc.get("authorization_endpoint").asString()).isEqualTo(base + "/oauth/authorize");
        assertThat(doc.get("token_endpoint").asString()).isEqualTo(base + "/oauth/token");
        assertThat(doc.get("registration_endpoint").asString()).isEqualTo(base + "/oauth/register");
        assertThat(doc.get("revocation_endpoint").asString()).isEqualTo(base + "/oauth/revoke");
        assertThat(strings(doc, "scopes_supported"))
                .containsExactlyInAnyOrder("timether:read", "timether:write", "timether:admin");
        assertThat(strings(doc, "response_types_supported")).containsExactly("code");
        assertThat(strings(doc, "grant_types_supported"))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(strings(doc, "code_challenge_methods_supported")).containsExactly("S256");
        assertThat(strings(doc, "token_endpoint_auth_methods_supported")).contains("none");
        assertThat(doc.get("client_id_metadata_document_supported").isBoolean()).isTrue();
        assertThat(doc.get("client_id_metadata_document_supported").asBoolean()).isTrue();
        assertThat(doc.get("authorization_response_iss_parameter_supported").isBoolean())
                .isTrue();
        assertThat(doc.get("authorization_response_iss_parameter_supported").asBoolean())
                .isTrue();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    private static List<String> strings(JsonNode doc, String field) {
        assertThat(doc.get(field).isArray()).as(field + " is an array").isTrue();
        return doc.get(field).valueStream().map(JsonNode::asString).toList();
    }
}
