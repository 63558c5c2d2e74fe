package com.timether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal JSON-RPC caller of the shared server's {@code /mcp}, with one access token. */
public final class McpCall {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String accessToken;

    public McpCall(String accessToken) {
        this.accessToken = accessToken;
    }

    /** Connects {@code email} to {@code workspace} with {@code scope} through the real OAuth flow. */
    public static McpCall connect(String email, java.util.UUID workspace, String scope) {
        return new McpCall(new OAuthFlow()
                .connect(email, TestData.PASSWORD, workspace, scope)
                .accessToken());
    }

    /** Sends one JSON-RPC request; returns the raw HTTP response. */
    public HttpResponse<String> send(String method, Map<String, Object> params) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", IDS.incrementAndGet());
        message.put("method", method);
        message.put("params", params);
        return post(JSON.writeValueAsString(message));
    }

    /** Posts a raw body with this token. */
    public HttpResponse<String> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON-RPC result of a method, failing on a protocol error. */
    public JsonNode result(String method, Map<String, Object> params) {
        HttpResponse<String> response = send(method, params);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.has("error")) {
            throw new IllegalStateException(method + " answered " + response.statusCode() + ": " + response.body());
        }
        return body.get("result");
    }

    /** Calls a tool; returns its result (check isError yourself). */
    public JsonNode tool(String name, Map<String, Object> arguments) {
        return result("tools/call", Map.of("name", name, "arguments", arguments));
    }

    /** Calls a tool that must succeed; returns its structured content. */
    public JsonNode ok(String name, Map<String, Object> arguments) {
        JsonNode result = tool(name, arguments);
        if (result.path("isError").asBoolean(false)) {
            throw new IllegalStateException(name + " failed: " + result);
        }
        return result.get("structuredContent");
    }

    /** The error text of a tool call that must fail. */
    public String refusal(String name, Map<String, Object> arguments) {
        JsonNode result = tool(name, arguments);
        if (!result.path("isError").asBoolean(false)) {
            throw new IllegalStateException(name + " unexpectedly succeeded: " + result);
        }
        return result.get("content").get(0).get("text").asString();
    }
}
