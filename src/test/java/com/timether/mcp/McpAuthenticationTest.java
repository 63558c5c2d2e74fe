package com.timether.mcp;

import static com.timether.mcp.McpRequests.challenge;
import static com.timether.mcp.McpRequests.clients;
import static com.timether.mcp.McpRequests.createClient;
import static com.timether.mcp.McpRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.audit.AuditLog.Actor;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import com.timether.workspace.WorkspaceStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * How {@code /mcp} tells a client where to authorize (RFC 9728 metadata and the 401 challenge) and why a token it
 * sent was refused (RFC 6750 section 3), with nothing acted on.
 */
class McpAuthenticationTest {
    private static final String METADATA_PATH = "/.well-known/oauth-protected-resource/mcp";

    private final Application app = TestServer.app();
    private final String base = TestServer.baseUrl();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);

    @Test
    void getMetadata_mcpAddress_namesTheEndpointTheIssuerAndHeaderTokensOnly() {
        OAuthFlow browser = new OAuthFlow();

        HttpResponse<String> response = browser.get(METADATA_PATH);
        JsonNode issuer = OAuthFlow.json(browser.get("/.well-known/oauth-authorization-server"))
                .get("issuer");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode doc = OAuthFlow.json(response);
        assertThat(doc.get("resource").asString()).isEqualTo(base + "/mcp");
        assertThat(strings(doc, "authorization_servers")).containsExactly(issuer.asString());
        assertThat(issuer.asString()).isEqualTo(base);
        assertThat(strings(doc, "scopes_supported"))
                .containsExactlyInAnyOrder("timether:read", "timether:write", "timether:admin");
        assertThat(strings(doc, "bearer_methods_supported")).containsExactly("header");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(OAuthFlow.json(browser.get("/.well-known/oauth-protected-resource")))
                .isEqualTo(doc);
    }

    @Test
    void postMcp_noAuthorization_challengesWithTheMetadataAddressAndNoError() {
        HttpResponse<String> response = McpRequests.post(null, createClient("Anonymous"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response))
                .isEqualTo("Bearer resource_metadata=\"" + base + METADATA_PATH
                        + "\", scope=\"timether:read timether:write\"");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Token abc", "Bearerabc", "Digest username=\"x\""})
    void postMcp_authorizationWithoutABearerToken_isAnsweredLikeNoTokenAt401(String authorization) {
        HttpResponse<String> response = withAuthorization(authorization, createClient("Malformed"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response))
                .startsWith("Bearer resource_metadata=\"" + base + METADATA_PATH + "\"")
                .doesNotContain("error=");
        assertThat(json(response).get("error_description").asString()).isEqualTo("An access token is required");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_lowerCaseBearerScheme_isAcceptedAsTheSchemeIsCaseInsensitive() {
        Connected c = connect();

        // RFC 9110 section 11.1: the auth scheme is case-insensitive.
        HttpResponse<String> response = withAuthorization("bearer " + c.token(), createClient("Lower Case"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("result").get("isError").asBoolean()).isFalse();
        assertThat(clients(app, workspace.id())).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-token", "tmt_at_0000000000000000000000000000000000000000"})
    void postMcp_unknownToken_isRefusedAsNotValid(String token) {
        assertInvalidToken(McpRequests.post(token, createClient("Unknown")), "The access token is not valid.");
    }

    @Test
    void postMcp_oversizedToken_isRefusedAsNotValid() {
        String token = "a".repeat(5_000);

        assertInvalidToken(McpRequests.post(token, createClient("Oversized")), "The access token is not valid.");
    }

    @Test
    void postMcp_refreshTokenAsBearer_isRefusedAsNotValid() {
        OAuthFlow.Tokens tokens =
                new OAuthFlow().connect(owner.email(), TestData.PASSWORD, workspace.id(), "timether:write");

        HttpResponse<String> response = McpRequests.post(tokens.refreshToken(), createClient("Refresh"));

        assertInvalidToken(response, "The access token is not valid.");
    }

    @Test
    void postMcp_connectionRevoked_isRefusedAsRevoked() {
        Connected c = connect();

        new ConnectionStore(app.database().jdbi()).revokeByUser(owner.id(), c.connection());

        assertRefused(c, "The connection was revoked; connect again.");
    }

    @Test
    void postMcp_accessTokenExpired_isRefusedAsExpired() {
        Connected c = connect();

        app.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE oauth_tokens SET expires_at = now() - interval '1 second'"
                                + " WHERE token_hash = :hash")
                        .bind("hash", Secrets.hash(c.token()))
                        .execute());

        assertRefused(c, "The access token expired; refresh it.");
    }

    @Test
    void postMcp_workspaceDowngradedToFree_isRefusedNamingThePlan() {
        Connected c = connect();

        app.workspaces().setPlan(workspace.id(), Plan.FREE, Actor.operator());

        assertRefused(
                c,
                "The free plan of " + workspace.name()
                        + " does not include API access (team or business plan needed).");
    }

    @Test
    void postMcp_workspaceSuspended_isRefusedNamingTheStatus() {
        Connected c = connect();

        app.workspaces().setStatus(workspace.id(), WorkspaceStatus.SUSPENDED, Actor.operator());

        assertRefused(c, workspace.name() + " is suspended.");
    }

    @Test
    void postMcp_userDisabled_isRefusedAsDisabled() {
        Connected c = connect();

        app.users().setStatus(owner.email(), UserStatus.DISABLED);

        assertRefused(c, "The account is disabled.");
    }

    @Test
    void postMcp_refusalNamingAWorkspaceWithQuotesAndAccents_keepsTheChallengeAValidQuotedString() {
        Workspace quoted = app.workspaces()
                .create(
                        new NewWorkspace(
                                "Café \"Nord\" \\ " + TestData.unique(), Plan.TEAM, BillingState.ACTIVE, "EUR", "UTC"),
                        owner.id(),
                        Actor.operator());
        String token = McpRequests.connect(owner, quoted, "timether:write");
        app.workspaces().setStatus(quoted.id(), WorkspaceStatus.SUSPENDED, Actor.operator());

        HttpResponse<String> response = McpRequests.post(token, createClient("Quoted"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error_description").asString()).isEqualTo(quoted.name() + " is suspended.");
        // RFC 6750 section 3: error_description is printable ASCII without '"' and '\'.
        assertThat(challenge(response))
                .matches("Bearer error=\"invalid_token\", error_description=\"[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*\","
                        + " resource_metadata=\"[^\"]+\"")
                .contains("error_description=\"Caf? 'Nord' ? " + quoted.name().substring(14) + " is suspended.\"");
        assertThat(clients(app, quoted.id())).isZero();
    }

    /** A person's live write connection to the test's workspace. */
    private record Connected(String token, UUID connection) {}

    private Connected connect() {
        String token = McpRequests.connect(owner, workspace, "timether:write");
        return new Connected(token, McpRequests.connectionOf(app, token));
    }

    private void assertRefused(Connected c, String description) {
        assertInvalidToken(McpRequests.post(c.token(), createClient("After Refusal")), description);
    }

    private void assertInvalidToken(HttpResponse<String> response, String description) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response))
                .isEqualTo("Bearer error=\"invalid_token\", error_description=\"" + description
                        + "\", resource_metadata=\"" + base + METADATA_PATH + "\"");
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_token");
        assertThat(json(response).get("error_description").asString()).isEqualTo(description);
        assertThat(clients(app, workspace.id())).isZero();
    }

    private static HttpResponse<String> withAuthorization(String authorization, String body) {
        return McpRequests.post(
                "/mcp", Map.of("Authorization", authorization), HttpRequest.BodyPublishers.ofString(body));
    }

    private static List<String> strings(JsonNode doc, String field) {
        assertThat(doc.get(field).isArray()).as(field + " is an array").isTrue();
        return doc.get(field).valueStream().map(JsonNode::asString).toList();
    }
}
