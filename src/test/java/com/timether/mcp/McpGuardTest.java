package com.timether.mcp;

import static com.timether.mcp.McpRequests.challenge;
import static com.timether.mcp.McpRequests.clients;
import static com.timether.mcp.McpRequests.connect;
import static com.timether.mcp.McpRequests.createClient;
import static com.timether.mcp.McpRequests.json;
import static com.timether.mcp.McpRequests.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.testing.RawHttp;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard in front of the MCP transport (docs/mcp.md, "The guard"), over real HTTP with real tokens. */
class McpGuardTest {
    private final Application app = TestServer.app();
    private final String base = TestServer.baseUrl();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);

    @Test
    void postMcp_tokenInTheQueryOnly_isRefusedAndTheCallDoesNotRun() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                "/mcp?access_token=" + token, Map.of(), HttpRequest.BodyPublishers.ofString(createClient("In Url")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_request");
        assertThat(json(response).get("error_description").asString())
                .isEqualTo("Send the access token in the Authorization header");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_tokenInTheQueryBesidesAValidHeader_isRefusedAndTheCallDoesNotRun() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                "/mcp?access_token=" + token,
                Map.of("Authorization", "Bearer " + token),
                HttpRequest.BodyPublishers.ofString(createClient("In Url And Header")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_request");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_tokenInAFormBody_isRefusedAsOnlyTheHeaderCarriesTokens() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                "/mcp",
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                HttpRequest.BodyPublishers.ofString("access_token=" + token));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error_description").asString())
                .isEqualTo("Send the access token in the Authorization header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE", "PUT", "PATCH"})
    void request_methodOtherThanPost_isAnswered405AllowingPostOnly(String method) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.bodiless(method, "/mcp", token);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        assertThat(json(response).get("error").get("message").asString())
                .isEqualTo("Method not allowed: this server is stateless; use POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "https://localhost", "http://localhost"})
    void postMcp_foreignOrigin_isForbiddenAndTheCallDoesNotRun(String origin) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = withOrigin(origin, token, createClient("From Evil"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("error").get("message").asString())
                .isEqualTo("Forbidden: this Origin or Host is not allowed");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_originThatOnlyStartsLikeOurs_isForbidden() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = withOrigin(base + ".evil.example", token, createClient("Look Alike"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_ourOwnOrigin_runsTheCall() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = withOrigin(base, token, createClient("From Our App"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("result").get("isError").asBoolean()).isFalse();
        assertThat(clients(app, workspace.id())).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:{port}", "127.0.0.1:{port}", "localhost", "localhost:1", "evil.example"})
    void postMcp_foreignHostHeader_isForbiddenAndTheCallDoesNotRun(String host) {
        String token = connect(owner, workspace, "timether:write");
        String port = Integer.toString(URI.create(base).getPort());

        McpRequests.RawResponse response = rawPost(host.replace("{port}", port), token, createClient("Rebound"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("Forbidden: this Origin or Host is not allowed");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_ourOwnHostHeader_runsTheCall() {
        String token = connect(owner, workspace, "timether:write");

        McpRequests.RawResponse response = rawPost(URI.create(base).getAuthority(), token, createClient("Own Host"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(clients(app, workspace.id())).isEqualTo(1);
    }

    @Test
    void postMcp_bodyOverTheLimit_isAnswered413AndTheCallDoesNotRun() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(token, oversizedCreateClient());

        assertTooLarge(response);
    }

    @Test
    void postMcp_chunkedBodyOverTheLimit_isAnswered413AndTheCallDoesNotRun() {
        String token = connect(owner, workspace, "timether:write");
        byte[] body = oversizedCreateClient().getBytes(StandardCharsets.UTF_8);

        // A publisher of unknown length makes the client send the body chunked, without a Content-Length.
        HttpResponse<String> response = McpRequests.post(
                "/mcp",
                Map.of("Authorization", "Bearer " + token),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertTooLarge(response);
    }

    @Test
    void postMcp_bodyOverTheLimit_isReadToItsEnd_soTheNextCallOnTheConnectionRuns() {
        String token = connect(owner, workspace, "timether:write");
        String head = mcpHead(URI.create(TestServer.baseUrl()).getAuthority(), token);
        String tooLarge = oversizedCreateClient();
        String next = createClient("Next");

        String response = RawHttp.exchange(head + "\r\nContent-Length: " + tooLarge.length() + "\r\n\r\n" + tooLarge
                + head + "\r\nConnection: close\r\nContent-Length: " + next.length() + "\r\n\r\n" + next);

        assertThat(response).startsWith("HTTP/1.1 413 ").contains("Request too large");
        assertThat(response.substring(1)).contains("HTTP/1.1 200 ");
        assertThat(clients(app, workspace.id())).isEqualTo(1);
    }

    @Test
    void postMcp_largeCallWithoutToken_isAnswered401_andTheConnectionCarriesOn() {
        String call = createClient("Unauthorized") + " ".repeat(200 * 1024);

        String response =
                RawHttp.exchange(mcpHead(URI.create(TestServer.baseUrl()).getAuthority(), null)
                        + "\r\nContent-Length: " + call.length() + "\r\n\r\n" + call
                        + "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 401 ").contains("WWW-Authenticate: Bearer");
        assertThat(response.substring(1)).contains("HTTP/1.1 200 ").endsWith("ok");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_bodyJustUnderTheLimit_runsTheCall() {
        String token = connect(owner, workspace, "timether:write");
        String call = createClient("Padded");

        HttpResponse<String> response = McpRequests.post(token, call + " ".repeat(McpServlet.MAX_BODY - call.length()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(clients(app, workspace.id())).isEqualTo(1);
    }

    @Test
    void callWriteTool_readConnection_isAnswered403InsufficientScopeAndCreatesNothing() {
        String token = connect(owner, workspace, "timether:read");

        HttpResponse<String> response = McpRequests.post(token, createClient("Read Only"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"timether:read timether:write\","
                        + " resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\","
                        + " error_description=\"create_client needs the timether:write scope\"");
        assertThat(json(response).get("error").asString()).isEqualTo("insufficient_scope");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void callAdminTool_writeConnection_asksForEveryScopeUpToAdmin() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                token,
                message("tools/call", Map.of("name", "create_invite", "arguments", Map.of("email", "x@test.example"))));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response))
                .contains("error=\"insufficient_scope\"", "scope=\"timether:read timether:write timether:admin\"");
        assertThat(invites()).isZero();
    }

    @Test
    void callTools_overTheLimitPerMinute_answers429WithRetryAfterAndLeavesOtherConnectionsAlone() throws Exception {
        String token = connect(owner, workspace, "timether:write");
        String other = connect(owner, workspace, "timether:write");
        int limit = app.settings().mcpCallsPerMinute();

        List<Integer> statuses = parallelToolLists(token, limit);
        HttpResponse<String> over = McpRequests.post(token, createClient("Over The Limit"));
        HttpResponse<String> neighbour = McpRequests.post(other, message("tools/list", Map.of()));

        assertThat(statuses).hasSize(limit).containsOnly(200);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        assertThat(json(over).get("error").get("message").asString())
                .startsWith("Rate limit reached for this connection; retry in ");
        assertThat(neighbour.statusCode()).isEqualTo(200);
        assertThat(json(neighbour).get("result").get("tools").size()).isPositive();
        assertThat(clients(app, workspace.id())).isZero();
    }

    private static HttpResponse<String> withOrigin(String origin, String token, String body) {
        return McpRequests.post(
                "/mcp",
                Map.of("Origin", origin, "Authorization", "Bearer " + token),
                HttpRequest.BodyPublishers.ofString(body));
    }

    private static McpRequests.RawResponse rawPost(String host, String token, String body) {
        return McpRequests.raw(
                mcpHead(host, token) + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length, body);
    }

    /** The request line and MCP headers of a POST to /mcp, without the final line break; no token when null. */
    private static String mcpHead(String host, String token) {
        return "POST /mcp HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"
                + (token == null ? "" : "\r\nAuthorization: Bearer " + token);
    }

    /** A valid create_client call padded with JSON whitespace past the limit, so only the size refuses it. */
    private static String oversizedCreateClient() {
        return createClient("Too Large") + " ".repeat(McpServlet.MAX_BODY);
    }

    private void assertTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").get("message").asString())
                .isEqualTo("Request too large: at most 262144 bytes");
        assertThat(clients(app, workspace.id())).isZero();
    }

    private int invites() {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM invites WHERE workspace_id = :ws")
                        .bind("ws", workspace.id())
                        .mapTo(Integer.class)
                        .one());
    }

    private static List<Integer> parallelToolLists(String token, int calls) throws Exception {
        String body = message("tools/list", Map.of());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(() -> McpRequests.post(token, body).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
            return statuses;
        }
    }
}
