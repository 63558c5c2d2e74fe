package com.timether.mcp;

import static com.timether.mcp.McpRequests.assertJsonRpcError;
import static com.timether.mcp.McpRequests.clients;
import static com.timether.mcp.McpRequests.connect;
import static com.timether.mcp.McpRequests.createClient;
import static com.timether.mcp.McpRequests.json;
import static com.timether.mcp.McpRequests.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Requests to {@code /mcp} that are not one well-formed JSON-RPC call: each is answered with a JSON-RPC error, never
 * a 500 or a stack trace, and nothing runs.
 */
class McpMalformedRequestTest {
    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "", "   "})
    void postMcp_bodyThatIsNotJson_isAParseError(String body) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(token, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(assertJsonRpcError(response).get("code").asInt()).isEqualTo(-32700);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "null",
                "42",
                "\"text\"",
                "[]",
                "{}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":null}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":5}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}",
                "{\"id\":1,\"method\":\"tools/list\"}"
            })
    void postMcp_jsonThatIsNotOneRequest_isAnInvalidRequestError(String body) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(token, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(assertJsonRpcError(response).get("code").asInt()).isEqualTo(-32600);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"create_client\",\"arguments\":5}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"create_client\",\"arguments\":[\"Acme\"]}}"
            })
    void callTool_withoutANameOrWithArgumentsThatAreNoObject_isAnInvalidParamsError(String body) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(token, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(assertJsonRpcError(response).get("code").asInt()).isEqualTo(-32602);
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void callTool_asANotificationWithoutId_isAcceptedAndRunsNothing() {
        String token = connect(owner, workspace, "timether:write");
        String notification = createClient("Notified").replace("\"id\":1,", "");

        HttpResponse<String> response = McpRequests.post(token, notification);

        assertThat(notification).doesNotContain("\"id\"");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(clients(app, workspace.id())).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx"})
    void postMcp_contentTypeNotJson_isAJsonRpcErrorAndTheCallDoesNotRun(String type) {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                "/mcp",
                Map.of("Authorization", "Bearer " + token, "Content-Type", type),
                HttpRequest.BodyPublishers.ofString(createClient("Plain Text")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(assertJsonRpcError(response).get("message").asString())
                .isEqualTo("Content-Type must be application/json, got '" + type + "'");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_acceptWithoutEventStream_isAJsonRpcErrorAndTheCallDoesNotRun() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(
                "/mcp",
                Map.of("Authorization", "Bearer " + token, "Accept", "application/json"),
                HttpRequest.BodyPublishers.ofString(createClient("Json Only")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(assertJsonRpcError(response).get("message").asString())
                .isEqualTo("Accept must list application/json and text/event-stream, got 'application/json'");
        assertThat(clients(app, workspace.id())).isZero();
    }

    @Test
    void postMcp_unknownMethod_isAMethodNotFoundError() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response = McpRequests.post(token, message("tools/destroy", Map.of()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(assertJsonRpcError(response).get("code").asInt()).isEqualTo(-32601);
        assertThat(json(response).get("id").asInt()).isEqualTo(1);
    }

    @Test
    void callTool_unknownTool_isAnInvalidParamsErrorNamingTheTool() {
        String token = connect(owner, workspace, "timether:write");

        HttpResponse<String> response =
                McpRequests.post(token, message("tools/call", Map.of("name", "drop_workspace", "arguments", Map.of())));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode error = assertJsonRpcError(response);
        assertThat(error.get("code").asInt()).isEqualTo(-32602);
        assertThat(error.get("data").asString()).isEqualTo("Tool not found: drop_workspace");
    }

    @Test
    void callWriteTool_readConnectionInABatch_isRefusedAsAnInvalidRequestAndCreatesNothing() {
        String token = connect(owner, workspace, "timether:read");

        HttpResponse<String> response = McpRequests.post(token, "[" + createClient("Batched") + "]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(assertJsonRpcError(response).get("code").asInt()).isEqualTo(-32600);
        assertThat(clients(app, workspace.id())).isZero();
    }
}
