package com.timether.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.AccessContext;
import com.timether.access.AccessPolicy;
import com.timether.access.Capability;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.testing.McpCall;
import com.timether.testing.OAuthFlow;
import com.timether.testing.ReportingRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What {@code tools/list} shows each kind of connection, compared with what the tool declarations and the access
 * policy allow, and how a tool left out of the list is refused when called anyway.
 */
class ToolFilteringTest {
    private static final String ALL_SCOPES = "timether:read timether:write timether:admin";
    private static final String WRITE_SCOPES = "timether:read timether:write";
    private static final String WEEK = "2026-03-02";

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);

    @Test
    void toolsList_memberAsksForAdmin_grantedWriteAndSeesOwnWorkOnly() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        Connected me = connect(member, "timether:admin");

        List<String> names = names(me.mcp());
        String createClient = me.mcp().refusal("create_client", Map.of("name", "Acme"));
        String listInvites = me.mcp().refusal("list_invites", Map.of());

        assertThat(me.grantedScope()).isEqualTo(WRITE_SCOPES);
        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.MEMBER, Scope.WRITE));
        assertThat(names)
                .contains("start_timer", "create_time_entry", "get_timesheet", "submit_timesheet", "list_clients")
                .doesNotContain("create_client", "delete_tag", "list_invites", "list_timesheets", "create_invite");
        assertThat(createClient)
                .isEqualTo("create_client is not available to this connection: This needs the manager role or"
                        + " above; you are member.");
        assertThat(listInvites)
                .isEqualTo("list_invites is not available to this connection: This needs the admin role or above;"
                        + " you are member.");
        assertThat(count("clients")).isZero();
    }

    @Test
    void toolsList_managerAsksForAdmin_grantedWriteAndSeesNoMemberAdministration() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        Connected boss = connect(manager, "timether:admin");

        List<String> names = names(boss.mcp());
        String listInvites = boss.mcp().refusal("list_invites", Map.of());
        String createInvite =
                boss.mcp().refusal("create_invite", Map.of("email", "new@test.example", "role", "member"));

        assertThat(boss.grantedScope()).isEqualTo(WRITE_SCOPES);
        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.MANAGER, Scope.WRITE));
        assertThat(names)
                .contains("create_client", "delete_tag", "list_timesheets", "approve_timesheet", "list_members")
                .doesNotContain("list_invites", "create_invite", "update_member_rates", "change_member_role");
        assertThat(listInvites)
                .isEqualTo("list_invites is not available to this connection: This needs the admin role or above;"
                        + " you are manager.");
        // No step-up to timether:admin: consent would never grant it to a manager, so the refusal names the role.
        assertThat(createInvite)
                .isEqualTo("create_invite is not available to this connection: This needs the admin role or above;"
                        + " you are manager.");
        assertThat(count("invites")).isZero();
    }

    @Test
    void toolsList_adminWithAdminScope_seesEveryDeclaredTool() {
        User admin = TestData.member(app, workspace, Role.ADMIN);
        Connected connected = connect(admin, "timether:admin");

        List<String> names = names(connected.mcp());

        assertThat(connected.grantedScope()).isEqualTo(ALL_SCOPES);
        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.ADMIN, Scope.ADMIN));
        assertThat(names)
                .hasSize(app.tools().size())
                .contains("list_invites", "create_invite", "change_member_role", "update_member_rates");
    }

    @Test
    void toolsList_ownerWithAdminScope_seesEveryDeclaredTool() {
        Connected connected = connect(owner, "timether:admin");

        List<String> names = names(connected.mcp());

        assertThat(connected.grantedScope()).isEqualTo(ALL_SCOPES);
        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.OWNER, Scope.ADMIN));
        assertThat(names).hasSize(app.tools().size()).contains("deactivate_member", "revoke_invite");
    }

    @Test
    void toolsList_adminWithReadScope_onlyReadToolsAndWritesChallengedForScope() {
        User admin = TestData.member(app, workspace, Role.ADMIN);
        Connected reader = connect(admin, "timether:read");

        List<JsonNode> tools = tools(reader.mcp());
        HttpResponse<String> createClient = callRaw(reader.mcp(), "create_client", Map.of("name", "Acme"));
        HttpResponse<String> changeRole = callRaw(
                reader.mcp(),
                "change_member_role",
                Map.of(
                        "member_id",
                        ReportingRows.memberId(owner.id(), workspace.id()).toString(),
                        "role",
                        "member"));

        assertThat(reader.grantedScope()).isEqualTo("timether:read");
        assertThat(names(tools)).containsExactlyInAnyOrderElementsOf(declared(Role.ADMIN, Scope.READ));
        assertThat(names(tools))
                .contains("list_invites", "list_members", "uninvoiced_report", "get_timesheet")
                .noneMatch(name -> name.startsWith("create_") || name.startsWith("update_"))
                .noneMatch(name -> name.startsWith("delete_") || name.equals("start_timer"));
        assertThat(tools)
                .allSatisfy(tool -> assertThat(readOnlyHint(tool))
                        .as(tool.get("name").asString())
                        .isTrue());
        assertScopeChallenge(createClient, "create_client", "timether:write", WRITE_SCOPES);
        assertScopeChallenge(changeRole, "change_member_role", "timether:admin", ALL_SCOPES);
        assertThat(count("clients")).isZero();
        assertThat(app.members()
                        .findByUser(workspace.id(), owner.id())
                        .orElseThrow()
                        .role())
                .isEqualTo(Role.OWNER);
    }

    @Test
    void toolsList_pastDueWorkspace_readsOnlyAndWritesRefusedWithBillingState() {
        Connected connected = connect(owner, "timether:admin");
        app.workspaces().setBillingState(workspace.id(), BillingState.PAST_DUE, Actor.operator());

        List<JsonNode> tools = tools(connected.mcp());
        String createClient = connected.mcp().refusal("create_client", Map.of("name", "Acme"));
        String createInvite =
                connected.mcp().refusal("create_invite", Map.of("email", "new@test.example", "role", "member"));

        assertThat(names(tools)).containsExactlyInAnyOrderElementsOf(declared(Role.OWNER, Scope.ADMIN));
        assertThat(names(tools))
                .contains("list_clients", "list_projects", "list_time_entries", "list_invites", "get_timesheet")
                .noneMatch(name -> name.startsWith("create_") || name.startsWith("delete_"))
                .doesNotContain("start_timer", "submit_timesheet", "update_member_rates");
        assertThat(tools).allSatisfy(tool -> assertThat(readOnlyHint(tool)).isTrue());
        assertThat(createClient)
                .isEqualTo("create_client is not available to this connection: The workspace is read-only while its"
                        + " billing state is past_due.");
        assertThat(createInvite).endsWith(": The workspace is read-only while its billing state is past_due.");
        assertThat(count("clients")).isZero();
        assertThat(count("invites")).isZero();
    }

    @Test
    void toolsList_timesheetsCapabilityOff_timesheetToolsHiddenAndRefused() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        Connected boss = connect(manager, "timether:write");
        app.workspaces().setCapability(workspace.id(), Capability.TIMESHEETS, false, Actor.operator());

        List<String> names = names(boss.mcp());
        String submit = boss.mcp().refusal("submit_timesheet", Map.of("week", WEEK));
        String get = boss.mcp().refusal("get_timesheet", Map.of("week", WEEK));

        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.MANAGER, Scope.WRITE));
        assertThat(names)
                .contains("create_client", "start_timer", "summary_report")
                .doesNotContain("get_timesheet", "list_timesheets", "submit_timesheet", "approve_timesheet");
        assertThat(submit)
                .isEqualTo("submit_timesheet is not available to this connection: The timesheets capability is"
                        + " switched off in this workspace.");
        assertThat(get).endsWith(": The timesheets capability is switched off in this workspace.");
        assertThat(count("timesheets")).isZero();
    }

    @Test
    void toolsList_managerPromotedToAdminAfterConsent_roleWidensButScopeStaysWrite() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        Connected boss = connect(manager, "timether:admin");
        app.members()
                .setRole(
                        workspace.id(),
                        ReportingRows.memberId(manager.id(), workspace.id()),
                        Role.ADMIN,
                        Actor.operator());

        List<String> names = names(boss.mcp());
        JsonNode invites = boss.mcp().ok("list_invites", Map.of());

        assertThat(names).containsExactlyInAnyOrderElementsOf(declared(Role.ADMIN, Scope.WRITE));
        assertThat(names).contains("list_invites", "create_client").doesNotContain("create_invite");
        assertThat(invites.get("invites").isArray()).isTrue();
    }

    @Test
    void toolsList_everyTool_describedWithSchemasAndAnnotationsTrueToItsKind() {
        List<JsonNode> tools = tools(connect(owner, "timether:admin").mcp());

        assertThat(tools).hasSize(app.tools().size());
        for (JsonNode listed : tools) {
            String name = listed.get("name").asString();
            Tool declared = app.tools().stream()
                    .filter(t -> t.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            JsonNode hints = listed.get("annotations");
            assertDescribed(listed, declared);
            assertThat(readOnlyHint(listed)).as(name).isEqualTo(declared.kind() == ToolKind.READ);
            assertThat(hints.get("destructiveHint").asBoolean()).as(name).isEqualTo(declared.isDestructive());
            assertThat(hints.get("idempotentHint").asBoolean())
                    .as(name)
                    .isEqualTo(declared.kind() == ToolKind.READ || declared.kind() == ToolKind.UPDATE);
            assertKindArguments(listed, declared.kind());
            assertNamingFacts(name, hints);
        }
    }

    private static void assertDescribed(JsonNode listed, Tool declared) {
        String name = declared.name();
        assertThat(listed.path("title").asString(""))
                .as(name)
                .isEqualTo(declared.title())
                .isNotBlank();
        assertThat(listed.path("description").asString("")).as(name).hasSizeGreaterThan(20);
        assertThat(listed.path("inputSchema").path("type").asString(""))
                .as(name)
                .isEqualTo("object");
        assertThat(listed.path("outputSchema").path("type").asString(""))
                .as(name)
                .isEqualTo("object");
        assertThat(listed.path("outputSchema").path("properties").size())
                .as(name)
                .isPositive();
    }

    private static void assertNamingFacts(String name, JsonNode hints) {
        if (name.startsWith("list_") || name.startsWith("get_") || name.endsWith("_report")) {
            assertThat(hints.get("readOnlyHint").asBoolean()).as(name).isTrue();
            assertThat(hints.get("destructiveHint").asBoolean()).as(name).isFalse();
        }
        if (name.startsWith("delete_") || name.equals("discard_timer") || name.equals("revoke_invite")) {
            assertThat(hints.get("destructiveHint").asBoolean()).as(name).isTrue();
            assertThat(hints.get("readOnlyHint").asBoolean()).as(name).isFalse();
        }
        if (name.startsWith("create_") || name.startsWith("update_")) {
            assertThat(hints.get("readOnlyHint").asBoolean()).as(name).isFalse();
            assertThat(hints.get("destructiveHint").asBoolean()).as(name).isFalse();
        }
    }

    private static void assertKindArguments(JsonNode listed, ToolKind kind) {
        String name = listed.get("name").asString();
        JsonNode input = listed.get("inputSchema").get("properties");
        JsonNode output = listed.get("outputSchema").get("properties");
        assertThat(input.has("idempotency_key")).as(name).isEqualTo(kind == ToolKind.CREATE);
        assertThat(input.has("confirmation_token")).as(name).isEqualTo(kind == ToolKind.CONSEQUENTIAL);
        assertThat(output.has("confirmation_required")).as(name).isEqualTo(kind == ToolKind.CONSEQUENTIAL);
    }

    private static void assertScopeChallenge(
            HttpResponse<String> response, String tool, String needed, String challengedScopes) {
        String description = tool + " needs the " + needed + " scope";
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"" + challengedScopes + "\"")
                .contains("error_description=\"" + description + "\"");
        JsonNode body = OAuthFlow.json(response);
        assertThat(body.get("error").asString()).isEqualTo("insufficient_scope");
        assertThat(body.get("error_description").asString()).isEqualTo(description);
    }

    /** The tool names the declarations and the access policy allow for this role and scope, right now. */
    private List<String> declared(Role role, Scope scope) {
        Workspace now = app.workspaces().find(workspace.id()).orElseThrow();
        AccessContext context = new AccessContext(
                scope, role, now.entitlements(), now.billingState(), now.status(), now.capabilities());
        return app.tools().stream()
                .filter(tool -> AccessPolicy.decide(tool.requirement(), context).isAllowed())
                .map(Tool::name)
                .toList();
    }

    private record Connected(McpCall mcp, String grantedScope) {}

    private Connected connect(User user, String scope) {
        OAuthFlow.Tokens tokens = new OAuthFlow().connect(user.email(), TestData.PASSWORD, workspace.id(), scope);
        return new Connected(new McpCall(tokens.accessToken()), tokens.scope());
    }

    private static HttpResponse<String> callRaw(McpCall mcp, String tool, Map<String, Object> arguments) {
        return mcp.send("tools/call", Map.of("name", tool, "arguments", arguments));
    }

    private static List<JsonNode> tools(McpCall mcp) {
        JsonNode result = mcp.result("tools/list", Map.of());
        assertThat(result.path("nextCursor").isMissingNode()
                        || result.get("nextCursor").isNull())
                .as("tools/list answers in one page")
                .isTrue();
        List<JsonNode> tools = new ArrayList<>();
        result.get("tools").forEach(tools::add);
        return tools;
    }

    private static List<String> names(McpCall mcp) {
        return names(tools(mcp));
    }

    private static List<String> names(List<JsonNode> tools) {
        return tools.stream().map(tool -> tool.get("name").asString()).toList();
    }

    private static boolean readOnlyHint(JsonNode tool) {
        return tool.get("annotations").get("readOnlyHint").asBoolean();
    }

    private long count(String table) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table + " WHERE workspace_id = :ws")
                        .bind("ws", workspace.id())
                        .mapTo(Long.class)
                        .one());
    }
}
