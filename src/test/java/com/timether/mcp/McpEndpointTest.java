package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class McpEndpointTest {
    private final Application app = TestServer.app();

    @Test
    void initializeAndCallTools_ownerConnection_works() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        McpCall mcp = McpCall.connect(owner.email(), workspace.id(), "timether:admin");

        JsonNode init = mcp.result(
                "initialize",
                Map.of(
                        "protocolVersion", "2025-11-25",
                        "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1")));
        JsonNode tools = mcp.result("tools/list", Map.of());
        JsonNode context = mcp.ok("get_workspace_context", Map.of());
        JsonNode created = mcp.ok("create_client", Map.of("name", "Acme", "idempotency_key", "k1"));
        JsonNode again = mcp.ok("create_client", Map.of("name", "Acme", "idempotency_key", "k1"));
        JsonNode pending =
                mcp.ok("delete_client", Map.of("client_id", created.get("id").asString()));
        JsonNode deleted = mcp.ok(
                "delete_client",
                Map.of(
                        "client_id", created.get("id").asString(),
                        "confirmation_token", pending.get("confirmation_token").asString()));

        assertThat(init.get("protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(tools.get("tools").size()).isGreaterThan(3);
        assertThat(context.get("workspace").get("name").asString()).isEqualTo(workspace.name());
        assertThat(again.get("id").asString()).isEqualTo(created.get("id").asString());
        assertThat(pending.get("confirmation_required").asBoolean()).isTrue();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
    }

    @Test
    void callTool_answerThatFitsTheBuffer_isSentWholeWithItsLength() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        McpCall mcp = McpCall.connect(owner.email(), workspace.id(), "timether:read");

        HttpResponse<String> answer = mcp.send("tools/list", Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(answer.headers().firstValueAsLong("Content-Length"))
                .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
    }
}
