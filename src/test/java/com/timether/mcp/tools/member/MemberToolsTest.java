package com.timether.mcp.tools.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.MemberStatus;
import com.timether.testing.Confirmed;
import com.timether.testing.McpCall;
import com.timether.testing.ReportingRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.testing.TrackingRows.AuditRow;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The member tools through the real /mcp endpoint, with tokens from the real OAuth flow, for every role. */
class MemberToolsTest {
    private static final List<String> ADMIN_TOOLS =
            List.of("update_member_rates", "change_member_role", "deactivate_member", "reactivate_member");

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final User admin = TestData.member(app, workspace, Role.ADMIN);
    private final User manager = TestData.member(app, workspace, Role.MANAGER);
    private final User member = TestData.member(app, workspace, Role.MEMBER);
    private final UUID memberId = idOf(member);

    @Test
    void listMembers_admin_everyMemberByNameWithRoleStatusAndRates() {
        setRates(9000, 4500);

        JsonNode page = connect(admin, "timether:admin").ok("list_members", Map.of());
        JsonNode mine = find(page, memberId);

        List<User> byName = new ArrayList<>(List.of(owner, admin, manager, member));
        byName.sort(Comparator.comparing((User u) -> u.displayName().toLowerCase(Locale.ROOT))
                .thenComparing(u -> idOf(u).toString()));
        assertThat(column(page, "name"))
                .isEqualTo(byName.stream().map(User::displayName).toList());
        assertThat(page.get("has_more").asBoolean()).isFalse();
        assertThat(page.get("next_cursor").isNull()).isTrue();
        assertThat(mine.get("email").asString()).isEqualTo(member.email());
        assertThat(mine.get("role").asString()).isEqualTo("member");
        assertThat(mine.get("status").asString()).isEqualTo("active");
        assertThat(mine.get("bill_rate_minor").asLong()).isEqualTo(9000);
        assertThat(mine.get("cost_rate_minor").asLong()).isEqualTo(4500);
        assertThat(find(page, idOf(owner)).get("role").asString()).isEqualTo("owner");
    }

    @Test
    void listAndGetMember_memberOrManager_ratesHidden() {
        setRates(9000, 4500);
        Map<String, Object> byId = Map.of("member_id", memberId.toString());

        for (User viewer : List.of(member, manager)) {
            McpCall reader = connect(viewer, "timether:read");
            JsonNode listed = find(reader.ok("list_members", Map.of()), memberId);
            JsonNode got = reader.ok("get_member", byId);

            assertThat(listed.get("bill_rate_minor").isNull()).isTrue();
            assertThat(listed.get("cost_rate_minor").isNull()).isTrue();
            assertThat(got.get("email").asString()).isEqualTo(member.email());
            assertThat(got.get("bill_rate_minor").isNull()).isTrue();
            assertThat(got.get("cost_rate_minor").isNull()).isTrue();
        }
        assertThat(get(connect(owner, "timether:read"), memberId)
                        .get("cost_rate_minor")
                        .asLong())
                .isEqualTo(4500);
    }

    @Test
    void listMembers_limitTwo_pagesThroughEveryMemberOnce() {
        TestData.member(app, workspace, Role.MEMBER);
        McpCall reader = connect(member, "timether:read");
        List<JsonNode> pages = new ArrayList<>();
        Map<String, Object> args = new HashMap<>(Map.of("limit", 2));

        do {
            pages.add(reader.ok("list_members", args));
            args.put("cursor", pages.getLast().get("next_cursor").asString(""));
        } while (pages.getLast().get("has_more").asBoolean());

        List<String> names = new ArrayList<>();
        pages.forEach(page -> names.addAll(column(page, "name")));
        assertThat(pages).extracting(page -> page.get("members").size()).containsExactly(2, 2, 1);
        assertThat(pages.getFirst().get("next_cursor").asString()).isNotBlank();
        assertThat(pages.getLast().get("next_cursor").isNull()).isTrue();
        assertThat(names).isEqualTo(column(reader.ok("list_members", Map.of()), "name"));
    }

    @Test
    void listMembers_tamperedCursorOrBadLimit_refusedNamingTheArgument() {
        McpCall reader = connect(member, "timether:read");
        String realName = member.displayName().toLowerCase(Locale.ROOT);

        String garbage = reader.refusal("list_members", Map.of("cursor", "%%%not base64%%%"));
        String parts = reader.refusal("list_members", Map.of("cursor", encode("only one part")));
        String id = reader.refusal("list_members", Map.of("cursor", encode("a\u0000not-a-uuid")));
        String tiedId = reader.refusal("list_members", Map.of("cursor", encode(realName + "\u0000not-a-uuid")));
        String tooMany = reader.refusal("list_members", Map.of("limit", 201));
        String zero = reader.refusal("list_members", Map.of("limit", 0));

        String invalid = "cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it";
        assertThat(List.of(garbage, parts, id, tiedId)).containsOnly(invalid);
        assertThat(tooMany).endsWith("[/limit: must have a maximum value of 200]; sent /limit = 201");
        assertThat(zero).endsWith("[/limit: must have a minimum value of 1]; sent /limit = 0");
    }

    @Test
    void getMember_memberOfAnotherWorkspace_notFound() {
        User stranger = TestData.user(app);
        Workspace other = TestData.workspace(app, stranger, Plan.TEAM);
        UUID strangerId = TrackingRows.memberId(app, other, stranger);

        String refused = connect(admin, "timether:admin").refusal("get_member", Map.of("member_id", strangerId));

        assertThat(refused).isEqualTo("No member with id " + strangerId + " in this workspace");
    }

    @Test
    void changeMemberRole_adminPromotesMember_confirmsThenChangesAndAudits() {
        McpCall boss = connect(admin, "timether:admin");
        McpCall me = connect(member, "timether:write");
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "role", "manager");

        JsonNode pending = Confirmed.ask(boss, "change_member_role", args);
        String roleWhilePending = get(boss, memberId).get("role").asString();
        JsonNode changed = boss.ok("change_member_role", Confirmed.withToken(args, pending));
        String reused = boss.refusal("change_member_role", Confirmed.withToken(args, pending));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Change " + member.displayName() + "'s role from member to manager.");
        assertThat(roleWhilePending).isEqualTo("member");
        assertThat(changed.get("role").asString()).isEqualTo("manager");
        assertThat(reused).startsWith("confirmation_token was already used; each token works once.");
        assertThat(get(me, memberId).get("role").asString()).isEqualTo("manager");
        assertThat(toolNames(me)).contains("create_project", "list_timesheets");
        assertThat(TrackingRows.audit(app, workspace, "member.role"))
                .singleElement()
                .satisfies(row -> assertMcpAudit(row, admin.id(), "change_member_role", memberId));
    }

    @Test
    void changeMemberRole_adminTouchesOwnerRole_refusedAndNothingChanges() {
        McpCall boss = connect(admin, "timether:admin");
        UUID ownerId = idOf(owner);
        String ownerBefore = stored(ownerId);
        String memberBefore = stored(memberId);

        String grant = boss.refusal("change_member_role", Map.of("member_id", memberId.toString(), "role", "owner"));
        String demote = boss.refusal("change_member_role", Map.of("member_id", ownerId.toString(), "role", "admin"));
        String deactivate = boss.refusal("deactivate_member", Map.of("member_id", ownerId.toString()));

        assertThat(grant).isEqualTo("Only an owner can make someone an owner; you are admin");
        assertThat(demote).isEqualTo(owner.displayName() + " is an owner; only an owner can change an owner");
        assertThat(deactivate).isEqualTo(demote);
        assertThat(stored(ownerId)).isEqualTo(ownerBefore);
        assertThat(stored(memberId)).isEqualTo(memberBefore);
        assertThat(TrackingRows.audit(app, workspace, "member.role")).isEmpty();
    }

    @Test
    void changeMemberRole_ownerMakesAdminOwner_thenMayStepDown() {
        McpCall boss = connect(owner, "timether:admin");
        UUID adminId = idOf(admin);

        JsonNode promoted = Confirmed.call(boss, "change_member_role", Map.of("member_id", adminId, "role", "owner"));
        JsonNode steppedDown = Confirmed.call(
                boss, "change_member_role", Map.of("member_id", idOf(owner).toString(), "role", "admin"));

        assertThat(promoted.get("role").asString()).isEqualTo("owner");
        assertThat(steppedDown.get("role").asString()).isEqualTo("admin");
        assertThat(stored(adminId)).isEqualTo("owner active null null");
        assertThat(stored(idOf(owner))).isEqualTo("admin active null null");
    }

    @Test
    void changeMemberRole_lastActiveOwner_cannotBeDemotedOrDeactivated() {
        McpCall boss = connect(owner, "timether:admin");
        UUID ownerId = idOf(owner);
        User inactiveOwner = TestData.member(app, workspace, Role.OWNER);
        app.members().setStatus(workspace.id(), idOf(inactiveOwner), MemberStatus.INACTIVE, Actor.operator());

        String demote = Confirmed.refusal(boss, "change_member_role", Map.of("member_id", ownerId, "role", "admin"));
        String deactivate = Confirmed.refusal(boss, "deactivate_member", Map.of("member_id", ownerId.toString()));

        String last = owner.email() + " is the workspace's last active owner; make someone else owner first";
        assertThat(demote).isEqualTo(last);
        assertThat(deactivate).isEqualTo(last);
        assertThat(stored(ownerId)).isEqualTo("owner active null null");
        assertThat(get(boss, ownerId).get("role").asString()).isEqualTo("owner");
    }

    @Test
    void changeMemberRole_unknownRole_refusedNamingFieldAndAllowedValues() {
        McpCall boss = connect(owner, "timether:admin");
        String before = stored(memberId);

        String refused = boss.refusal("change_member_role", Map.of("member_id", memberId, "role", "superuser"));
        String cased = boss.refusal("change_member_role", Map.of("member_id", memberId, "role", "Manager"));

        String allowed = "[/role: does not have a value in the enumeration [\"member\", \"manager\", \"admin\","
                + " \"owner\"]]";
        assertThat(refused)
                .startsWith("Tool (change_member_role) input validation failed")
                .endsWith(allowed + "; sent /role = 'superuser'");
        assertThat(cased).endsWith(allowed + "; sent /role = 'Manager'");
        assertThat(stored(memberId)).isEqualTo(before);
    }

    @Test
    void updateMemberRates_validValues_setThenOmittedRateStays() {
        McpCall boss = connect(admin, "timether:admin");

        JsonNode both = boss.ok(
                "update_member_rates",
                Map.of("member_id", memberId, "bill_rate_minor", 12000, "cost_rate_minor", 5000));
        JsonNode billOnly = boss.ok("update_member_rates", Map.of("member_id", memberId, "bill_rate_minor", 0));

        assertThat(both.get("bill_rate_minor").asLong()).isEqualTo(12000);
        assertThat(both.get("cost_rate_minor").asLong()).isEqualTo(5000);
        assertThat(billOnly.get("bill_rate_minor").asLong()).isEqualTo(0);
        assertThat(billOnly.get("cost_rate_minor").asLong()).isEqualTo(5000);
        assertThat(stored(memberId)).isEqualTo("member active 0 5000");
        assertThat(TrackingRows.audit(app, workspace, "member.rates"))
                .hasSize(2)
                .allSatisfy(row -> assertMcpAudit(row, admin.id(), "update_member_rates", memberId));
    }

    @Test
    void updateMemberRates_negativeFractionalOrAbsurd_refusedNamingFieldAndNothingChanges() {
        setRates(9000, 4500);
        McpCall boss = connect(admin, "timether:admin");

        String negative = boss.refusal("update_member_rates", Map.of("member_id", memberId, "bill_rate_minor", -1));
        String fraction = boss.refusal("update_member_rates", Map.of("member_id", memberId, "cost_rate_minor", 12.5));
        String absurd =
                boss.refusal("update_member_rates", Map.of("member_id", memberId, "bill_rate_minor", 100_000_001));
        String text = boss.refusal("update_member_rates", Map.of("member_id", memberId, "cost_rate_minor", "90"));

        assertThat(negative).endsWith("[/bill_rate_minor: must have a minimum value of 0]; sent /bill_rate_minor = -1");
        assertThat(fraction)
                .endsWith("[/cost_rate_minor: number found, integer expected]; sent /cost_rate_minor = 12.5");
        assertThat(absurd)
                .endsWith("[/bill_rate_minor: must have a maximum value of 100000000];"
                        + " sent /bill_rate_minor = 100000001");
        assertThat(text).endsWith("[/cost_rate_minor: string found, integer expected]; sent /cost_rate_minor = '90'");
        assertThat(stored(memberId)).isEqualTo("member active 9000 4500");
        assertThat(TrackingRows.audit(app, workspace, "member.rates")).hasSize(1);
    }

    @Test
    void deactivateMember_confirmed_theirConnectionRefusedUntilReactivated() {
        McpCall boss = connect(admin, "timether:admin");
        UUID managerId = idOf(manager);
        McpCall theirs = connect(manager, "timether:write");
        Map<String, Object> args = Map.of("member_id", managerId.toString());

        JsonNode pending = Confirmed.ask(boss, "deactivate_member", args);
        int whilePending = theirs.send("tools/list", Map.of()).statusCode();
        JsonNode deactivated = boss.ok("deactivate_member", Confirmed.withToken(args, pending));
        HttpResponse<String> refused = theirs.send("tools/list", Map.of());
        JsonNode inactive = boss.ok("list_members", Map.of("status", "inactive"));
        JsonNode reactivated = boss.ok("reactivate_member", args);
        HttpResponse<String> restored = theirs.send("tools/list", Map.of());

        String reason = "Your membership in " + workspace.name() + " is inactive.";
        assertThat(pending.get("effect").asString())
                .isEqualTo("Deactivate " + manager.displayName() + " (" + manager.email()
                        + "): they lose access to the workspace now.");
        assertThat(whilePending).isEqualTo(200);
        assertThat(deactivated.get("status").asString()).isEqualTo("inactive");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"")
                .contains("error_description=\"" + reason + "\"");
        assertThat(refused.body()).contains("\"invalid_token\"").contains(reason);
        assertThat(column(inactive, "id")).containsExactly(managerId.toString());
        assertThat(reactivated.get("status").asString()).isEqualTo("active");
        assertThat(reactivated.get("role").asString()).isEqualTo("manager");
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(TrackingRows.audit(app, workspace, "member.status"))
                .extracting(AuditRow::tool)
                .containsExactly("deactivate_member", "reactivate_member");
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER"})
    void adminTools_memberOrManagerWithWriteScope_absentAndRefusedNamingTheRoleNotAStepUp(Role role) {
        McpCall caller = connect(TestData.member(app, workspace, role), "timether:write");
        String before = stored(memberId);
        String needs = "This needs the admin role or above; you are " + role.value() + ".";

        List<String> tools = toolNames(caller);
        JsonNode listed = caller.ok("list_members", Map.of());
        HttpResponse<String> change = raw(caller, "change_member_role", Map.of("member_id", memberId, "role", "admin"));
        String rates = caller.refusal("update_member_rates", Map.of("member_id", memberId, "bill_rate_minor", 1));
        String deactivate = caller.refusal("deactivate_member", Map.of("member_id", memberId.toString()));

        assertThat(tools).contains("list_members", "get_member").doesNotContainAnyElementsOf(ADMIN_TOOLS);
        assertThat(listed.get("members").size()).isEqualTo(5);
        assertThat(change.statusCode()).isEqualTo(200);
        assertThat(change.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(change.body()).contains("change_member_role is not available to this connection: " + needs);
        assertThat(rates).isEqualTo("update_member_rates is not available to this connection: " + needs);
        assertThat(deactivate).endsWith(needs);
        assertThat(stored(memberId)).isEqualTo(before);
        assertThat(ReportingRows.mcpAudit(workspace.id(), "member.")).isEmpty();
    }

    @Test
    void memberTools_adminWithWriteScopeOnly_stepUpChallengeForAdminScope() {
        HttpResponse<String> rates = raw(
                connect(admin, "timether:write"),
                "update_member_rates",
                Map.of("member_id", memberId.toString(), "bill_rate_minor", 1));

        assertThat(rates.statusCode()).isEqualTo(403);
        assertThat(rates.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"")
                .contains("update_member_rates needs the timether:admin scope");
        assertThat(stored(memberId)).isEqualTo("member active null null");
    }

    @Test
    void listMembers_namesWithMarkupAndQuotes_returnedVerbatim() {
        String name = "<b>O'Hara</b> \"; DROP TABLE memberships; --";
        User odd = app.users().create("odd-" + TestData.unique() + "@test.example", name, TestData.PASSWORD, "UTC");
        app.members().add(workspace.id(), odd.email(), Role.MEMBER, Actor.operator());

        JsonNode listed = find(connect(member, "timether:read").ok("list_members", Map.of()), idOf(odd));

        assertThat(listed.get("name").asString()).isEqualTo(name);
        assertThat(listed.get("email").asString()).isEqualTo(odd.email());
    }

    private McpCall connect(User user, String scope) {
        return McpCall.connect(user.email(), workspace.id(), scope);
    }

    private void setRates(long bill, long cost) {
        app.members()
                .setRates(workspace.id(), memberId, OptionalLong.of(bill), OptionalLong.of(cost), Actor.operator());
    }

    private UUID idOf(User user) {
        return TrackingRows.memberId(app, workspace, user);
    }

    /** The stored role, status, bill rate and cost rate of a membership. */
    private String stored(UUID id) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT role || ' ' || status || ' ' || coalesce(bill_rate_minor::text,"
                                + " 'null') || ' ' || coalesce(cost_rate_minor::text, 'null') FROM memberships"
                                + " WHERE id = :id")
                        .bind("id", id)
                        .mapTo(String.class)
                        .one());
    }

    /** Asserts that an audit event names the MCP channel, the acting user, the client, the tool and the target. */
    static void assertMcpAudit(AuditRow row, UUID actor, String tool, Object target) {
        assertThat(row.channel()).isEqualTo("mcp");
        assertThat(row.actor()).isEqualTo(actor);
        assertThat(row.clientId()).isNotBlank();
        assertThat(row.tool()).isEqualTo(tool);
        assertThat(row.target()).isEqualTo(target.toString());
    }

    private static JsonNode get(McpCall mcp, UUID id) {
        return mcp.ok("get_member", Map.of("member_id", id.toString()));
    }

    private static JsonNode find(JsonNode page, UUID id) {
        for (JsonNode row : page.get("members")) {
            if (row.get("id").asString().equals(id.toString())) {
                return row;
            }
        }
        throw new AssertionError("member " + id + " is not listed in " + page);
    }

    private static List<String> column(JsonNode page, String field) {
        List<String> values = new ArrayList<>();
        page.get("members").forEach(row -> values.add(row.get(field).asString()));
        return values;
    }

    private static HttpResponse<String> raw(McpCall mcp, String tool, Map<String, Object> arguments) {
        return mcp.send("tools/call", Map.of("name", tool, "arguments", arguments));
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> toolNames(McpCall mcp) {
        List<String> names = new ArrayList<>();
        mcp.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> names.add(t.get("name").asString()));
        return names;
    }
}
