package com.timether.mcp.tools.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.MemberStatus;
import com.timether.testing.Confirmed;
import com.timether.testing.Connection;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The project member tools through the real /mcp endpoint, with tokens from the real OAuth flow. */
class ProjectMemberToolsTest {
    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final Connection manager =
            Connection.open(TestData.member(app, workspace, Role.MANAGER), workspace, "timether:write");
    private final McpCall mcp = manager.mcp();
    private final String project =
            mcp.ok("create_project", Map.of("name", "Website")).get("id").asString();

    @Test
    void addListRemove_twoMembers_listedWithRatesAndRemovedAfterConfirmation() {
        User alice = TestData.member(app, workspace, Role.MEMBER);
        User bob = TestData.member(app, workspace, Role.MEMBER);
        String aliceId = memberId(alice);
        String bobId = memberId(bob);

        JsonNode added = mcp.ok("add_project_member", pair(aliceId, Map.of("rate_minor", 12_000)));
        mcp.ok("add_project_member", pair(bobId, Map.of()));
        JsonNode both = mcp.ok("list_project_members", Map.of("project_id", project));
        JsonNode pending = Confirmed.ask(mcp, "remove_project_member", pair(bobId, Map.of()));
        int whilePending = mcp.ok("list_project_members", Map.of("project_id", project))
                .get("members")
                .size();
        JsonNode removed = mcp.ok("remove_project_member", Confirmed.withToken(pair(bobId, Map.of()), pending));
        JsonNode left = mcp.ok("list_project_members", Map.of("project_id", project));

        assertThat(added.get("member_id").asString()).isEqualTo(aliceId);
        assertThat(added.get("name").asString()).isEqualTo(alice.displayName());
        assertThat(added.get("email").asString()).isEqualTo(alice.email());
        assertThat(added.get("rate_minor").asLong()).isEqualTo(12_000);
        assertThat(both.get("members")).containsExactlyInAnyOrder(added, member(both, bobId));
        assertThat(member(both, bobId).get("rate_minor").isNull()).isTrue();
        assertThat(pending.get("effect").asString())
                .isEqualTo("Remove " + bob.displayName() + " from project 'Website'.");
        assertThat(whilePending).isEqualTo(2);
        assertThat(removed.get("removed").asBoolean()).isTrue();
        assertThat(left.get("members")).containsExactly(added);
        assertThat(TrackingRows.audit(app, workspace, "project.member.add"))
                .hasSize(2)
                .allSatisfy(event -> {
                    assertThat(event.clientId()).isEqualTo(manager.clientId());
                    assertThat(event.tool()).isEqualTo("add_project_member");
                    assertThat(event.target()).isEqualTo(project);
                });
        manager.assertAuditedOnce(app, "project.member.remove", "remove_project_member", project);
    }

    @Test
    void addProjectMember_alreadyOnTheProject_refusedAndRateKept() {
        String alice = memberId(TestData.member(app, workspace, Role.MEMBER));
        mcp.ok("add_project_member", pair(alice, Map.of("rate_minor", 5000)));

        String refused = mcp.refusal("add_project_member", pair(alice, Map.of("rate_minor", 1)));

        assertThat(refused).isEqualTo("That member is already on this project");
        assertThat(members().getFirst().get("rate_minor").asLong()).isEqualTo(5000);
        assertThat(members()).hasSize(1);
    }

    @Test
    void addProjectMember_inactiveMember_refusedAndNothingAdded() {
        User leaver = TestData.member(app, workspace, Role.MEMBER);
        String leaverId = memberId(leaver);
        app.members().setStatus(workspace.id(), UUID.fromString(leaverId), MemberStatus.INACTIVE, Actor.operator());

        String refused = mcp.refusal("add_project_member", pair(leaverId, Map.of()));

        assertThat(refused).isEqualTo("No active member with id " + leaverId + " in this workspace");
        assertThat(members()).isEmpty();
        assertThat(TrackingRows.audit(app, workspace, "project.member.add")).isEmpty();
    }

    @Test
    void projectMemberTools_memberOrProjectOfAnotherWorkspace_answeredLikeAMissingOne() {
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        String stranger = TrackingRows.memberId(app, elsewhere, owner).toString();
        String foreignProject = McpCall.connect(owner.email(), elsewhere.id(), "timether:write")
                .ok("create_project", Map.of("name", "Theirs"))
                .get("id")
                .asString();
        String alice = memberId(TestData.member(app, workspace, Role.MEMBER));

        String addStranger = mcp.refusal("add_project_member", pair(stranger, Map.of()));
        String listForeign = mcp.refusal("list_project_members", Map.of("project_id", foreignProject));
        String addToForeign =
                mcp.refusal("add_project_member", Map.of("project_id", foreignProject, "member_id", alice));
        String removeAbsent = mcp.refusal("remove_project_member", pair(alice, Map.of()));

        assertThat(addStranger).isEqualTo("No active member with id " + stranger + " in this workspace");
        assertThat(listForeign).isEqualTo("No project with id " + foreignProject + " in this workspace");
        assertThat(addToForeign).isEqualTo(listForeign);
        assertThat(removeAbsent).isEqualTo("No such member on a project of this workspace");
        assertThat(members()).isEmpty();
    }

    @Test
    void projectMemberTools_idsNotUuidsOrUnknownArgument_refusedByName() {
        String alice = memberId(TestData.member(app, workspace, Role.MEMBER));

        String member = mcp.refusal("add_project_member", Map.of("project_id", project, "member_id", "alice"));
        String projectId = mcp.refusal("list_project_members", Map.of("project_id", "website"));
        String unknown = mcp.refusal("add_project_member", pair(alice, Map.of("role", "lead")));

        assertThat(member).contains("member_id").contains("'alice'");
        assertThat(projectId).contains("project_id").contains("'website'");
        assertThat(unknown).contains("'role' is not defined in the schema");
        assertThat(members()).isEmpty();
    }

    @Test
    void projectMemberTools_memberConnections_readOnlyForRoleAndScope() {
        User user = TestData.member(app, workspace, Role.MEMBER);
        String me = memberId(user);
        mcp.ok("add_project_member", pair(me, Map.of()));
        McpCall writer = McpCall.connect(user.email(), workspace.id(), "timether:write");
        McpCall reader = McpCall.connect(user.email(), workspace.id(), "timether:read");

        String remove = writer.refusal("remove_project_member", pair(me, Map.of()));
        JsonNode listed = reader.ok("list_project_members", Map.of("project_id", project));

        assertThat(remove)
                .isEqualTo("remove_project_member is not available to this connection: This needs the manager role"
                        + " or above; you are member.");
        assertThat(listed.get("members"))
                .singleElement()
                .satisfies(row -> assertThat(row.get("member_id").asString()).isEqualTo(me));
        assertThat(members()).hasSize(1);
    }

    private Map<String, Object> pair(String member, Map<String, Object> extra) {
        Map<String, Object> args = new java.util.HashMap<>(extra);
        args.put("project_id", project);
        args.put("member_id", member);
        return args;
    }

    private List<JsonNode> members() {
        List<JsonNode> rows = new ArrayList<>();
        mcp.ok("list_project_members", Map.of("project_id", project))
                .get("members")
                .forEach(rows::add);
        return rows;
    }

    private static JsonNode member(JsonNode list, String memberId) {
        for (JsonNode row : list.get("members")) {
            if (row.get("member_id").asString().equals(memberId)) {
                return row;
            }
        }
        throw new IllegalStateException("member " + memberId + " is not listed: " + list);
    }

    private String memberId(User user) {
        return TrackingRows.memberId(app, workspace, user).toString();
    }
}
