package com.timether.mcp.tools.project;

import static com.timether.testing.TestData.HTML_TEXT;
import static com.timether.testing.TestData.SQL_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.Confirmed;
import com.timether.testing.Connection;
import com.timether.testing.ListPages;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The project tools through the real /mcp endpoint, with tokens from the real OAuth flow. */
class ProjectToolsTest {

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final Connection manager =
            Connection.open(TestData.member(app, workspace, Role.MANAGER), workspace, "timether:write");
    private final McpCall mcp = manager.mcp();

    @Test
    void createProject_allFields_readBackThroughGetAndListAndAudited() {
        String client = client("Acme");
        Map<String, Object> args = Map.of(
                "name",
                "Website",
                "client_id",
                client,
                "color",
                "#3366ff",
                "rate_minor",
                9000,
                "budget_minutes",
                600,
                "budget_amount_minor",
                500_000);

        JsonNode created = mcp.ok("create_project", args);
        String id = created.get("id").asString();
        JsonNode fetched = mcp.ok("get_project", Map.of("project_id", id));

        assertThat(fetched).isEqualTo(created);
        assertThat(fetched.get("name").asString()).isEqualTo("Website");
        assertThat(fetched.get("client_id").asString()).isEqualTo(client);
        assertThat(fetched.get("client_name").asString()).isEqualTo("Acme");
        assertThat(fetched.get("color").asString()).isEqualTo("#3366ff");
        assertThat(fetched.get("billable").asBoolean()).isTrue();
        assertThat(fetched.get("rate_minor").asLong()).isEqualTo(9000);
        assertThat(fetched.get("budget_minutes").asLong()).isEqualTo(600);
        assertThat(fetched.get("budget_amount_minor").asLong()).isEqualTo(500_000);
        assertThat(fetched.get("archived").asBoolean()).isFalse();
        assertThat(names(mcp, Map.of())).containsExactly("Website");
        manager.assertAuditedOnce(app, "project.create", "create_project", id);
    }

    @Test
    void updateProject_fieldsGivenAsNull_clearsThemAndKeepsTheRest() {
        String owner = client("Owner Co");
        String id = project(
                "Full",
                Map.of(
                        "client_id",
                        owner,
                        "rate_minor",
                        9000,
                        "color",
                        "#000000",
                        "budget_minutes",
                        600,
                        "budget_amount_minor",
                        100000));
        Map<String, Object> clear = new HashMap<>(Map.of("project_id", id));
        for (String field : List.of("client_id", "rate_minor", "budget_minutes", "budget_amount_minor")) {
            clear.put(field, null);
        }

        JsonNode updated = mcp.ok("update_project", clear);

        assertThat(List.of("client_id", "client_name", "rate_minor", "budget_minutes", "budget_amount_minor"))
                .allSatisfy(field ->
                        assertThat(updated.get(field).isNull()).as(field).isTrue());
        assertThat(updated.get("color").asString()).isEqualTo("#000000");
        assertThat(updated.get("name").asString()).isEqualTo("Full");
        assertThat(mcp.ok("get_project", Map.of("project_id", id))).isEqualTo(updated);
    }

    @Test
    void createProject_billableLeftOut_billableOnlyWithAClient() {
        String client = client("Acme");

        JsonNode internal = mcp.ok("create_project", Map.of("name", "Internal"));
        JsonNode forClient = mcp.ok("create_project", Map.of("name", "Paid", "client_id", client));
        JsonNode explicit =
                mcp.ok("create_project", Map.of("name", "Pro bono", "client_id", client, "billable", false));

        assertThat(internal.get("billable").asBoolean()).isFalse();
        assertThat(internal.get("client_id").isNull()).isTrue();
        assertThat(internal.get("rate_minor").isNull()).isTrue();
        assertThat(forClient.get("billable").asBoolean()).isTrue();
        assertThat(explicit.get("billable").asBoolean()).isFalse();
    }

    @Test
    void updateProject_someFields_changesOnlyThoseAndAudits() {
        String first = client("First");
        String second = client("Second");
        String id = project("Old", Map.of("client_id", first, "rate_minor", 9000, "color", "#000000"));

        JsonNode updated =
                mcp.ok("update_project", Map.of("project_id", id, "name", "New", "client_id", second, "rate_minor", 0));
        JsonNode fetched = mcp.ok("get_project", Map.of("project_id", id));

        assertThat(fetched).isEqualTo(updated);
        assertThat(fetched.get("name").asString()).isEqualTo("New");
        assertThat(fetched.get("client_name").asString()).isEqualTo("Second");
        assertThat(fetched.get("rate_minor").asLong()).isZero();
        assertThat(fetched.get("color").asString()).isEqualTo("#000000");
        assertThat(fetched.get("billable").asBoolean()).isTrue();
        assertThat(names(mcp, Map.of("client_id", first))).isEmpty();
        assertThat(names(mcp, Map.of("client_id", second))).containsExactly("New");
        manager.assertAuditedOnce(app, "project.update", "update_project", id);
    }

    @Test
    void createAndUpdateProject_nameTakenIgnoringCase_refusedButAllowedInAnotherWorkspace() {
        project("Website", Map.of());
        String other = project("Other", Map.of());
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        McpCall there = McpCall.connect(owner.email(), elsewhere.id(), "timether:write");

        String create = mcp.refusal("create_project", Map.of("name", "WEBSITE"));
        String update = mcp.refusal("update_project", Map.of("project_id", other, "name", "website"));
        JsonNode theirs = there.ok("create_project", Map.of("name", "Website"));

        assertThat(create).isEqualTo("A project named 'WEBSITE' already exists; choose another name");
        assertThat(update).isEqualTo("A project named 'website' already exists; choose another name");
        assertThat(theirs.get("name").asString()).isEqualTo("Website");
        assertThat(names(mcp, Map.of())).containsExactly("Other", "Website");
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of(Map.of("name", "   "), "name must be 1 to 200 characters, got 0"),
                Arguments.of(Map.of("name", "p".repeat(201)), "/name: must be at most 200 characters long"),
                Arguments.of(Map.of("budget_minutes", -60), "/budget_minutes: must have a minimum value of 1"),
                Arguments.of(Map.of("budget_amount_minor", -1), "/budget_amount_minor: must have a minimum value"),
                Arguments.of(Map.of("rate_minor", -1), "/rate_minor: must have a minimum value of 0"),
                Arguments.of(Map.of("color", "blue"), "color must look like #3366ff, got 'blue'"),
                Arguments.of(Map.of("client_id", "acme"), "client_id"),
                Arguments.of(Map.of("owner", "me"), "'owner' is not defined in the schema"));
    }

    @ParameterizedTest
    @MethodSource("invalidFields")
    void createAndUpdateProject_invalidField_refusedNamingItAndNothingChanged(Map<String, Object> bad, String message) {
        String id = project("Kept", Map.of("budget_minutes", 60));
        Map<String, Object> create = new HashMap<>(Map.of("name", "Fresh"));
        create.putAll(bad);
        Map<String, Object> update = new HashMap<>(bad);
        update.put("project_id", id);

        String createRefused = mcp.refusal("create_project", create);
        String updateRefused = mcp.refusal("update_project", update);

        assertThat(createRefused).contains(message);
        assertThat(updateRefused).contains(message);
        assertThat(names(mcp, Map.of("include_archived", true))).containsExactly("Kept");
        assertThat(mcp.ok("get_project", Map.of("project_id", id))
                        .get("budget_minutes")
                        .asLong())
                .isEqualTo(60);
    }

    @Test
    void createProject_sqlAndHtmlCharacters_storedAndReturnedVerbatim() {
        String sql = project(SQL_TEXT, Map.of());
        String html = project(HTML_TEXT, Map.of());

        assertThat(mcp.ok("get_project", Map.of("project_id", sql)).get("name").asString())
                .isEqualTo(SQL_TEXT);
        assertThat(mcp.ok("get_project", Map.of("project_id", html)).get("name").asString())
                .isEqualTo(HTML_TEXT);
        assertThat(names(mcp, Map.of())).containsExactlyInAnyOrder(SQL_TEXT, HTML_TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get_project", "update_project", "archive_project", "delete_project"})
    void projectTools_idNotAUuid_refusedNamingTheField(String tool) {
        String refused = mcp.refusal(tool, Map.of("project_id", "website"));

        assertThat(refused)
                .isEqualTo("project_id must be an id such as 3f2b1c9e-8d4a-4c1b-9a7e-2d5f6a7b8c9d, got 'website'");
    }

    @Test
    void projectTools_clientOrProjectOfAnotherWorkspace_answeredLikeAMissingOneAndNothingChanged() {
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        McpCall there = McpCall.connect(owner.email(), elsewhere.id(), "timether:write");
        String foreignClient =
                there.ok("create_client", Map.of("name", "Theirs")).get("id").asString();
        String foreignProject =
                there.ok("create_project", Map.of("name", "Theirs")).get("id").asString();
        String id = project("Mine", Map.of());

        String create = mcp.refusal("create_project", Map.of("name", "New", "client_id", foreignClient));
        String update = mcp.refusal("update_project", Map.of("project_id", id, "client_id", foreignClient));
        String list = mcp.refusal("list_projects", Map.of("client_id", foreignClient));
        String get = mcp.refusal("get_project", Map.of("project_id", foreignProject));

        String noClient = "No client with id " + foreignClient + " in this workspace";
        assertThat(create).isEqualTo(noClient);
        assertThat(update).isEqualTo(noClient);
        assertThat(list).isEqualTo(noClient);
        assertThat(get).isEqualTo("No project with id " + foreignProject + " in this workspace");
        assertThat(mcp.ok("get_project", Map.of("project_id", id))
                        .get("client_id")
                        .isNull())
                .isTrue();
        assertThat(names(mcp, Map.of())).containsExactly("Mine");
        assertThat(names(there, Map.of())).containsExactly("Theirs");
    }

    @Test
    void archiveProject_archivedAndRestored_hiddenFromListUnlessAskedAndAudited() {
        String id = project("Dormant", Map.of());
        project("Busy", Map.of());

        JsonNode archived = mcp.ok("archive_project", Map.of("project_id", id));
        List<String> defaultList = names(mcp, Map.of());
        List<String> withArchived = names(mcp, Map.of("include_archived", true));
        JsonNode restored = mcp.ok("archive_project", Map.of("project_id", id, "archived", false));

        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(defaultList).containsExactly("Busy");
        assertThat(withArchived).containsExactly("Busy", "Dormant");
        assertThat(restored.get("archived").asBoolean()).isFalse();
        assertThat(names(mcp, Map.of())).containsExactly("Busy", "Dormant");
        manager.assertAuditedOnce(app, "project.archive", "archive_project", id);
        manager.assertAuditedOnce(app, "project.restore", "archive_project", id);
    }

    @Test
    void createAndUpdateProject_archivedClient_refusedUnlessAlreadyItsClient() {
        String dormant = client("Dormant Co");
        String kept = project("Kept", Map.of("client_id", dormant));
        String other = project("Other", Map.of());
        mcp.ok("archive_client", Map.of("client_id", dormant));
        String expected = "The client " + dormant + " is archived; restore it with archive_client and"
                + " archived=false, or choose another client";

        String created = mcp.refusal("create_project", Map.of("name", "New", "client_id", dormant));
        String moved = mcp.refusal("update_project", Map.of("project_id", other, "client_id", dormant));
        JsonNode renamed = mcp.ok("update_project", Map.of("project_id", kept, "client_id", dormant, "name", "Kept 2"));

        assertThat(List.of(created, moved)).containsOnly(expected);
        assertThat(names(mcp, Map.of())).containsExactly("Kept 2", "Other");
        assertThat(mcp.ok("get_project", Map.of("project_id", other))
                        .get("client_id")
                        .isNull())
                .isTrue();
        assertThat(renamed.get("client_id").asString()).isEqualTo(dormant);
    }

    @Test
    void deleteProject_withMembersOnly_confirmedDeletesItAndItsMemberList() {
        String id = project("Short-lived", Map.of());
        UUID member = TrackingRows.memberId(app, workspace, TestData.member(app, workspace, Role.MEMBER));
        mcp.ok("add_project_member", Map.of("project_id", id, "member_id", member.toString()));

        JsonNode pending = Confirmed.ask(mcp, "delete_project", Map.of("project_id", id));
        List<String> whilePending = names(mcp, Map.of());
        JsonNode deleted = mcp.ok("delete_project", Confirmed.withToken(Map.of("project_id", id), pending));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Delete project 'Short-lived' and its member list for good.");
        assertThat(whilePending).containsExactly("Short-lived");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(mcp.refusal("get_project", Map.of("project_id", id)))
                .isEqualTo("No project with id " + id + " in this workspace");
        assertThat(projectMemberRows(id)).isZero();
        manager.assertAuditedOnce(app, "project.delete", "delete_project", id);
    }

    @Test
    void deleteProject_withTrackedTime_refusedPointingToArchiveAndNothingDeleted() {
        String id = project("Historic", Map.of());
        mcp.ok("create_time_entry", Map.of("start", "2026-03-02T09:00", "duration_minutes", 60, "project_id", id));

        String refused = Confirmed.refusal(mcp, "delete_project", Map.of("project_id", id));

        assertThat(refused)
                .isEqualTo("Project 'Historic' has 1 time entries, timers or expenses; archive it with archive_project"
                        + " instead");
        assertThat(mcp.ok("get_project", Map.of("project_id", id)).get("name").asString())
                .isEqualTo("Historic");
        assertThat(mcp.ok("list_time_entries", Map.of("project_id", id))
                        .get("entries")
                        .size())
                .isEqualTo(1);
        assertThat(TrackingRows.audit(app, workspace, "project.delete")).isEmpty();
    }

    @Test
    void listProjects_smallPages_walkEveryRowOnceAndLimitsAreEnforced() {
        List<String> created = List.of("beta", "Alpha", "Äpfel", "zeta", "Öl");
        created.forEach(name -> project(name, Map.of()));

        List<ListPages.Page> ones = ListPages.walk(mcp, "list_projects", "projects", 1, Map.of());
        List<ListPages.Page> all = ListPages.walk(mcp, "list_projects", "projects", 200, Map.of());
        String zero = mcp.refusal("list_projects", Map.of("limit", 0));
        String tooMany = mcp.refusal("list_projects", Map.of("limit", 201));
        String tampered = mcp.refusal("list_projects", Map.of("cursor", "bm90LWEtY3Vyc29y"));

        assertThat(ListPages.names(all)).containsExactlyInAnyOrderElementsOf(created);
        assertThat(ListPages.names(ones)).isEqualTo(ListPages.names(all));
        assertThat(ones).hasSize(5);
        assertThat(zero).contains("/limit: must have a minimum value of 1");
        assertThat(tooMany).contains("/limit: must have a maximum value of 200");
        assertThat(tampered)
                .isEqualTo("cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it");
    }

    @Test
    void projectWrites_memberWithWriteScope_refusedForRoleAndNothingChanged() {
        String id = project("Guarded", Map.of("rate_minor", 100));
        User user = TestData.member(app, workspace, Role.MEMBER);
        String me = TrackingRows.memberId(app, workspace, user).toString();
        McpCall member = McpCall.connect(user.email(), workspace.id(), "timether:write");
        Map<String, Map<String, Object>> writes = Map.of(
                "create_project", Map.of("name", "Sneaky"),
                "update_project", Map.of("project_id", id, "rate_minor", 1),
                "archive_project", Map.of("project_id", id),
                "delete_project", Map.of("project_id", id),
                "add_project_member", Map.of("project_id", id, "member_id", me));

        writes.forEach((tool, args) -> assertThat(member.refusal(tool, args))
                .isEqualTo(tool + " is not available to this connection: This needs the manager role or above; you"
                        + " are member."));

        assertThat(names(member, Map.of())).containsExactly("Guarded");
        assertThat(member.ok("get_project", Map.of("project_id", id))
                        .get("rate_minor")
                        .asLong())
                .isEqualTo(100);
        assertThat(member.ok("list_project_members", Map.of("project_id", id))
                        .get("members")
                        .size())
                .isZero();
        assertThat(names(mcp, Map.of("include_archived", true))).containsExactly("Guarded");
    }

    private int projectMemberRows(String project) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM project_members WHERE project_id = :p")
                        .bind("p", UUID.fromString(project))
                        .mapTo(Integer.class)
                        .one());
    }

    private String client(String name) {
        return mcp.ok("create_client", Map.of("name", name)).get("id").asString();
    }

    private String project(String name, Map<String, Object> fields) {
        Map<String, Object> args = new HashMap<>(fields);
        args.put("name", name);
        return mcp.ok("create_project", args).get("id").asString();
    }

    private static List<String> names(McpCall caller, Map<String, Object> filter) {
        return ListPages.names(ListPages.walk(caller, "list_projects", "projects", 200, filter));
    }
}
