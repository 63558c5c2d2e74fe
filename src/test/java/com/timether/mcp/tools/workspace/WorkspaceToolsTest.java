package com.timether.mcp.tools.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** get_workspace_context through the real /mcp endpoint, with tokens from the real OAuth flow. */
class WorkspaceToolsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> TEAM_ENTITLEMENTS =
            List.of("data_portability", "expenses", "invoices", "public_api_access", "timesheets");
    private static final List<String> ALL_CAPABILITIES = List.of("expenses", "invoices", "mcp", "timesheets");

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);

    @Test
    void getWorkspaceContext_ownerWithAdminScope_returnsWorkspaceUserAndAllScopes() {
        McpCall mcp = McpCall.connect(owner.email(), workspace.id(), "timether:admin");

        JsonNode context = mcp.ok("get_workspace_context", Map.of());

        assertThat(map(context.get("workspace"))).isEqualTo(expectedWorkspace("active", false));
        assertThat(map(context.get("user"))).isEqualTo(expectedUser(owner, "owner"));
        assertThat(list(context.get("granted_scopes")))
                .containsExactly("timether:read", "timether:write", "timether:admin");
        assertThat(context.get("client_name").asString()).isEqualTo("Test Assistant");
    }

    @Test
    void getWorkspaceContext_memberWithReadScope_returnsMemberRoleAndReadScopeOnly() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:read");

        JsonNode context = mcp.ok("get_workspace_context", Map.of());

        assertThat(map(context.get("workspace"))).isEqualTo(expectedWorkspace("active", false));
        assertThat(map(context.get("user"))).isEqualTo(expectedUser(member, "member"));
        assertThat(list(context.get("granted_scopes"))).containsExactly("timether:read");
    }

    @Test
    void getWorkspaceContext_memberAskedForAdminScope_grantedAtMostWrite() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:admin");

        JsonNode context = mcp.ok("get_workspace_context", Map.of());

        assertThat(list(context.get("granted_scopes"))).containsExactly("timether:read", "timether:write");
        assertThat(context.get("user").get("role").asString()).isEqualTo("member");
    }

    @Test
    void getWorkspaceContext_billingPastDue_saysReadOnly() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        McpCall mcp = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        app.workspaces().setBillingState(workspace.id(), BillingState.PAST_DUE, Actor.operator());

        JsonNode context = mcp.ok("get_workspace_context", Map.of());

        assertThat(map(context.get("workspace"))).isEqualTo(expectedWorkspace("past_due", true));
        assertThat(context.get("user").get("role").asString()).isEqualTo("manager");
    }

    @Test
    void getWorkspaceContext_unknownArgument_refusedByName() {
        McpCall mcp = McpCall.connect(owner.email(), workspace.id(), "timether:read");

        String refused = mcp.refusal("get_workspace_context", Map.of("workspace_id", workspace.id()));

        assertThat(refused)
                .isEqualTo("Tool (get_workspace_context) input validation failed: Validation failed: JSON schema"
                        + " validation errors: [: property 'workspace_id' is not defined in the schema and the schema"
                        + " does not allow additional properties]");
    }

    private Map<String, Object> expectedWorkspace(String billingState, boolean isReadOnly) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", workspace.id().toString());
        expected.put("name", workspace.name());
        expected.put("plan", "team");
        expected.put("billing_state", billingState);
        expected.put("is_read_only", isReadOnly);
        expected.put("time_zone", "Europe/Berlin");
        expected.put("currency", "EUR");
        expected.put("week_start", "monday");
        expected.put("lock_date", null);
        expected.put("capabilities", ALL_CAPABILITIES);
        expected.put("entitlements", TEAM_ENTITLEMENTS);
        return expected;
    }

    private Map<String, Object> expectedUser(User user, String role) {
        return Map.of(
                "id", user.id().toString(),
                "email", user.email(),
                "name", user.displayName(),
                "member_id", TrackingRows.memberId(app, workspace, user).toString(),
                "role", role);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    private static List<String> list(JsonNode node) {
        return node.valueStream().map(JsonNode::asString).toList();
    }
}
