package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.OAuthFlow;
import com.timether.testing.RawHttp;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests to {@code /mcp} with every header under the test's control, each answer checked for a leaked stack
 * trace, and the rows a refused request must leave alone.
 */
final class McpRequests {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private McpRequests() {}

    /** The JSON-RPC body of a {@code create_client} call for a client named {@code name}. */
    static String createClient(String name) {
        return message("tools/call", Map.of("name", "create_client", "arguments", Map.of("name", name)));
    }

    /** The JSON-RPC body of one request. */
    static String message(String method, Map<String, Object> params) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", 1);
        message.put("method", method);
        message.put("params", params);
        return JSON.writeValueAsString(message);
    }

    /** A POST to {@code path} (such as {@code /mcp}) with these headers besides the MCP ones. */
    static HttpResponse<String> post(String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .POST(body);
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    /** A POST of {@code body} to {@code /mcp} with {@code token} as bearer, or no Authorization when null. */
    static HttpResponse<String> post(String token, String body) {
        Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        return post("/mcp", headers, HttpRequest.BodyPublishers.ofString(body));
    }

    /** A request of {@code method} without a body to {@code path}, with this bearer token. */
    static HttpResponse<String> bodiless(String method, String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return stackFree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code head} (request line and headers, CRLF separated, without the blank line) and {@code body}
     * over a plain socket, for the headers {@link HttpClient} will not let a caller set, such as Host.
     */
    static RawResponse raw(String head, String body) {
        String response = RawHttp.exchange(head + "\r\nConnection: close\r\n\r\n" + body);
        RawResponse raw = new RawResponse(
                Integer.parseInt(response.split(" ", 3)[1]), response.substring(response.indexOf("\r\n\r\n") + 4));
        assertStackFree(raw.body());
        return raw;
    }

    /** A status and body read off a socket. */
    record RawResponse(int status, String body) {}

    private static HttpResponse<String> stackFree(HttpResponse<String> response) {
        assertStackFree(response.body());
        return response;
    }

    private static void assertStackFree(String body) {
        assertThat(body)
                .doesNotContain("Exception", "stackTrace", "className", "lineNumber", "\tat ", "at com.", "at java.");
    }

    /** The parsed JSON body of a response. */
    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The {@code WWW-Authenticate} header, failing when absent. */
    static String challenge(HttpResponse<String> response) {
        List<String> values = new ArrayList<>(response.headers().allValues("WWW-Authenticate"));
        assertThat(values)
                .as("WWW-Authenticate of a %d answer", response.statusCode())
                .hasSize(1);
        return values.getFirst();
    }

    /** A fresh access token of {@code person} for {@code workspace} with {@code scope}, from the real OAuth flow. */
    static String connect(User person, Workspace workspace, String scope) {
        return new OAuthFlow()
                .connect(person.email(), TestData.PASSWORD, workspace.id(), scope)
                .accessToken();
    }

    /** Asserts a JSON-RPC error envelope without a result; returns its error object. */
    static JsonNode assertJsonRpcError(HttpResponse<String> response) {
        JsonNode body = json(response);
        assertThat(body.get("jsonrpc").asString()).isEqualTo("2.0");
        assertThat(body.has("result")).isFalse();
        assertThat(body.get("error").get("code").isInt()).isTrue();
        assertThat(body.get("error").get("message").asString()).isNotBlank();
        return body.get("error");
    }

    /** How many clients the workspace holds. */
    static int clients(Application app, UUID workspace) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM clients WHERE workspace_id = :ws")
                        .bind("ws", workspace)
                        .mapTo(Integer.class)
                        .one());
    }

    /** The connection an access token belongs to. */
    static UUID connectionOf(Application app, String accessToken) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT connection_id FROM oauth_tokens WHERE token_hash = :hash")
                        .bind("hash", Secrets.hash(accessToken))
                        .mapTo(UUID.class)
                        .one());
    }
}
