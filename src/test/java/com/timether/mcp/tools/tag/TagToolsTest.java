package com.timether.mcp.tools.tag;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The tag tools through the real /mcp endpoint, with tokens from the real OAuth flow. */
class TagToolsTest {

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final Connection manager =
            Connection.open(TestData.member(app, workspace, Role.MANAGER), workspace, "timether:write");
    private final McpCall mcp = manager.mcp();

    @Test
    void createTag_trimmedName_listedWithNoEntriesAndAudited() {
        JsonNode created = mcp.ok("create_tag", Map.of("name", "  urgent "));
        String id = created.get("id").asString();

        JsonNode listed = mcp.ok("list_tags", Map.of());

        assertThat(created.get("name").asString()).isEqualTo("urgent");
        assertThat(created.get("entry_count").asLong()).isZero();
        assertThat(listed.get("tags")).containsExactly(created);
        assertThat(listed.get("has_more").asBoolean()).isFalse();
        manager.assertAuditedOnce(app, "tag.create", "create_tag", id);
    }

    @Test
    void renameTag_taggedEntry_entryKeepsTheTagUnderItsNewNameAndAudited() {
        String id = tag("draft");
        String entry = entry(id);

        JsonNode renamed = mcp.ok("rename_tag", Map.of("tag_id", id, "name", "review"));
        JsonNode fetched = mcp.ok("get_time_entry", Map.of("entry_id", entry));

        assertThat(renamed.get("name").asString()).isEqualTo("review");
        assertThat(renamed.get("entry_count").asLong()).isEqualTo(1);
        assertThat(mcp.ok("list_tags", Map.of()).get("tags")).containsExactly(renamed);
        assertThat(fetched.get("tags").get(0).get("id").asString()).isEqualTo(id);
        assertThat(fetched.get("tags").get(0).get("name").asString()).isEqualTo("review");
        manager.assertAuditedOnce(app, "tag.rename", "rename_tag", id);
    }

    @Test
    void createAndRenameTag_nameTakenIgnoringCase_refusedButAllowedInAnotherWorkspace() {
        String urgent = tag("Urgent");
        String later = tag("Later");
        McpCall there = McpCall.connect(
                owner.email(), TestData.workspace(app, owner, Plan.TEAM).id(), "timether:write");

        String create = mcp.refusal("create_tag", Map.of("name", "URGENT"));
        String rename = mcp.refusal("rename_tag", Map.of("tag_id", later, "name", "urgent"));
        JsonNode ownCase = mcp.ok("rename_tag", Map.of("tag_id", urgent, "name", "URGENT"));
        JsonNode theirs = there.ok("create_tag", Map.of("name", "urgent"));

        assertThat(create).isEqualTo("A tag named 'URGENT' already exists; choose another name");
        assertThat(rename).isEqualTo("A tag named 'urgent' already exists; choose another name");
        assertThat(ownCase.get("name").asString()).isEqualTo("URGENT");
        assertThat(theirs.get("name").asString()).isEqualTo("urgent");
        assertThat(names(mcp)).containsExactly("Later", "URGENT");
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("", "name must be 1 to 60 characters, got 0"),
                Arguments.of(" \t ", "name must be 1 to 60 characters, got 0"),
                Arguments.of("t".repeat(61), "/name: must be at most 60 characters long"),
                Arguments.of("two\u0007bells", "name must not contain control characters"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void createAndRenameTag_invalidName_refusedNamingTheFieldAndNothingChanged(String name, String message) {
        String id = tag("kept");

        String create = mcp.refusal("create_tag", Map.of("name", name));
        String rename = mcp.refusal("rename_tag", Map.of("tag_id", id, "name", name));

        assertThat(create).contains(message);
        assertThat(rename).contains(message);
        assertThat(names(mcp)).containsExactly("kept");
    }

    @Test
    void createAndRenameTag_sqlAndHtmlCharacters_storedAndReturnedVerbatim() {
        tag(SQL_TEXT);
        String id = tag("plain");

        JsonNode renamed = mcp.ok("rename_tag", Map.of("tag_id", id, "name", HTML_TEXT));

        assertThat(renamed.get("name").asString()).isEqualTo(HTML_TEXT);
        assertThat(names(mcp)).containsExactlyInAnyOrder(SQL_TEXT, HTML_TEXT);
    }

    @Test
    void tagTools_badIdsOrUnknownArgument_refusedByNameAndNothingChanged() {
        String id = tag("kept");
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        String foreign = McpCall.connect(owner.email(), elsewhere.id(), "timether:write")
                .ok("create_tag", Map.of("name", "theirs"))
                .get("id")
                .asString();
        String random = UUID.randomUUID().toString();

        String notUuid = mcp.refusal("rename_tag", Map.of("tag_id", "urgent", "name", "x"));
        String deleteNotUuid = mcp.refusal("delete_tag", Map.of("tag_id", "urgent"));
        String unknown = mcp.refusal("create_tag", Map.of("name", "x", "color", "#ff0000"));
        String renameForeign = mcp.refusal("rename_tag", Map.of("tag_id", foreign, "name", "mine"));
        String deleteForeign = mcp.refusal("delete_tag", Map.of("tag_id", foreign));
        String renameRandom = mcp.refusal("rename_tag", Map.of("tag_id", random, "name", "mine"));

        assertThat(notUuid).contains("tag_id").contains("'urgent'");
        assertThat(deleteNotUuid).contains("tag_id").contains("'urgent'");
        assertThat(unknown).contains("'color' is not defined in the schema");
        assertThat(renameForeign).isEqualTo("No tag with id " + foreign + " in this workspace");
        assertThat(deleteForeign).isEqualTo(renameForeign);
        assertThat(renameRandom).isEqualTo("No tag with id " + random + " in this workspace");
        assertThat(names(mcp)).containsExactly("kept");
        assertThat(mcp.ok("list_tags", Map.of()).get("tags").get(0).get("id").asString())
                .isEqualTo(id);
    }

    @Test
    void deleteTag_onAnEntry_confirmedRemovesItFromTheEntryWhichStaysAndAudited() {
        String id = tag("obsolete");
        String entry = entry(id);

        JsonNode pending = Confirmed.ask(mcp, "delete_tag", Map.of("tag_id", id));
        List<String> whilePending = names(mcp);
        JsonNode deleted = mcp.ok("delete_tag", Confirmed.withToken(Map.of("tag_id", id), pending));
        JsonNode fetched = mcp.ok("get_time_entry", Map.of("entry_id", entry));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Delete tag 'obsolete' and remove it from 1 time entries.");
        assertThat(whilePending).containsExactly("obsolete");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("id").asString()).isEqualTo(id);
        assertThat(names(mcp)).isEmpty();
        assertThat(fetched.get("tags").size()).isZero();
        assertThat(fetched.get("duration_minutes").asLong()).isEqualTo(60);
        manager.assertAuditedOnce(app, "tag.delete", "delete_tag", id);
    }

    @Test
    void listTags_smallPages_walkEveryRowOnceAndLimitsAreEnforced() {
        List<String> created = List.of("beta", "Alpha", "Äpfel", "zeta", "Öl", "gamma");
        created.forEach(this::tag);

        List<ListPages.Page> ones = ListPages.walk(mcp, "list_tags", "tags", 1, Map.of());
        List<ListPages.Page> fours = ListPages.walk(mcp, "list_tags", "tags", 4, Map.of());
        List<ListPages.Page> all = ListPages.walk(mcp, "list_tags", "tags", 200, Map.of());
        String zero = mcp.refusal("list_tags", Map.of("limit", 0));
        String tooMany = mcp.refusal("list_tags", Map.of("limit", 201));
        String tampered = mcp.refusal("list_tags", Map.of("cursor", "bm90LWEtY3Vyc29y"));

        assertThat(ListPages.names(all)).containsExactlyInAnyOrderElementsOf(created);
        assertThat(ListPages.names(ones)).isEqualTo(ListPages.names(all));
        assertThat(ListPages.names(fours)).isEqualTo(ListPages.names(all));
        assertThat(ones).hasSize(6);
        assertThat(fours).hasSize(2);
        assertThat(zero).contains("/limit: must have a minimum value of 1");
        assertThat(tooMany).contains("/limit: must have a maximum value of 200");
        assertThat(tampered)
                .isEqualTo("cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it");
    }

    @Test
    void tagWrites_memberConnections_refusedForRoleOrScopeAndNothingChanged() {
        String id = tag("guarded");
        User user = TestData.member(app, workspace, Role.MEMBER);
        McpCall writer = McpCall.connect(user.email(), workspace.id(), "timether:write");
        McpCall reader = McpCall.connect(user.email(), workspace.id(), "timether:read");
        Map<String, Map<String, Object>> writes = Map.of(
                "create_tag", Map.of("name", "sneaky"),
                "rename_tag", Map.of("tag_id", id, "name", "renamed"),
                "delete_tag", Map.of("tag_id", id));

        writes.forEach((tool, args) -> assertThat(writer.refusal(tool, args))
                .isEqualTo(tool + " is not available to this connection: This needs the manager role or above; you"
                        + " are member."));
        int readerCreate = reader.send(
                        "tools/call", Map.of("name", "create_tag", "arguments", Map.of("name", "sneaky")))
                .statusCode();

        assertThat(readerCreate).isEqualTo(403);
        assertThat(names(reader)).containsExactly("guarded");
        assertThat(names(writer)).containsExactly("guarded");
        assertThat(TrackingRows.audit(app, workspace, "tag.rename")).isEmpty();
    }

    private String tag(String name) {
        return mcp.ok("create_tag", Map.of("name", name)).get("id").asString();
    }

    private String entry(String tag) {
        return mcp.ok(
                        "create_time_entry",
                        Map.of("start", "2026-03-02T09:00", "duration_minutes", 60, "tag_ids", List.of(tag)))
                .get("id")
                .asString();
    }

    private static List<String> names(McpCall caller) {
        List<String> names = new ArrayList<>();
        ListPages.walk(caller, "list_tags", "tags", 200, Map.of()).forEach(page -> names.addAll(page.names()));
        return names;
    }
}
