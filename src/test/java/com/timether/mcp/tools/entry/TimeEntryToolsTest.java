package com.timether.mcp.tools.entry;

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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The time entry tools through the real /mcp endpoint, with tokens from the real OAuth flow. The workspaces
 * are in Europe/Berlin (UTC+1 in early March), so local times and UTC instants differ by an hour.
 */
class TimeEntryToolsTest {
    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private McpCall ownerConnection;

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER", "ADMIN"})
    void createGetUpdateDelete_eachRole_changesOwnEntry(Role role) {
        User user = TestData.member(app, workspace, role);
        UUID me = TrackingRows.memberId(app, workspace, user);
        McpCall mcp = McpCall.connect(user.email(), workspace.id(), "timether:write");
        String project = project("Build", Map.of());
        String tag = tag("Deep work");

        JsonNode created = mcp.ok(
                "create_time_entry",
                Map.of(
                        "start",
                        "2026-03-02T09:00",
                        "duration_minutes",
                        90,
                        "description",
                        "Specs",
                        "project_id",
                        project,
                        "tag_ids",
                        List.of(tag)));
        String id = created.get("id").asString();
        JsonNode fetched = mcp.ok("get_time_entry", Map.of("entry_id", id));
        JsonNode updated = mcp.ok(
                "update_time_entry",
                Map.of("entry_id", id, "end", "2026-03-02T11:00:00+01:00", "description", "Specs, reviewed"));
        JsonNode pending = mcp.ok("delete_time_entry", Map.of("entry_id", id));
        int rowsWhilePending = TrackingRows.entries(app, workspace, me);
        JsonNode deleted = mcp.ok(
                "delete_time_entry",
                Map.of(
                        "entry_id",
                        id,
                        "confirmation_token",
                        pending.get("confirmation_token").asString()));
        String gone = mcp.refusal("get_time_entry", Map.of("entry_id", id));

        assertThat(created.get("member_id").asString()).isEqualTo(me.toString());
        assertThat(created.get("start").asString()).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(created.get("end").asString()).isEqualTo("2026-03-02T09:30:00Z");
        assertThat(created.get("duration_minutes").asLong()).isEqualTo(90);
        assertThat(created.get("project_id").asString()).isEqualTo(project);
        assertThat(created.get("tags").get(0).get("name").asString()).isEqualTo("Deep work");
        assertThat(created.get("currency").asString()).isEqualTo("EUR");
        assertThat(fetched).isEqualTo(created);
        assertThat(updated.get("start").asString()).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(updated.get("duration_minutes").asLong()).isEqualTo(120);
        assertThat(updated.get("description").asString()).isEqualTo("Specs, reviewed");
        assertThat(updated.get("tags").size()).isEqualTo(1);
        assertThat(pending.get("confirmation_required").asBoolean()).isTrue();
        assertThat(pending.get("effect").asString())
                .contains("Delete 120 minutes")
                .contains("Specs, reviewed");
        assertThat(rowsWhilePending).isEqualTo(1);
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(gone).isEqualTo("No time entry with id " + id + " in this workspace");
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
        for (String tool : List.of("create_time_entry", "update_time_entry", "delete_time_entry")) {
            String action = "time_entry." + tool.substring(0, tool.indexOf('_'));
            assertThat(TrackingRows.audit(app, workspace, action))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.channel()).isEqualTo("mcp");
                        assertThat(event.actor()).isEqualTo(user.id());
                        assertThat(event.clientId()).isNotBlank();
                        assertThat(event.tool()).isEqualTo(tool);
                        assertThat(event.target()).isEqualTo(id);
                    });
        }
    }

    @Test
    void updateTimeEntry_onlyStartGiven_keepsTheLengthAndTheOtherFields() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String id = create(mcp, Map.of("start", "2026-03-02T09:00", "duration_minutes", 45, "description", "Calls"));

        JsonNode moved = mcp.ok("update_time_entry", Map.of("entry_id", id, "start", "2026-03-03T14:00"));

        assertThat(moved.get("start").asString()).isEqualTo("2026-03-03T13:00:00Z");
        assertThat(moved.get("end").asString()).isEqualTo("2026-03-03T13:45:00Z");
        assertThat(moved.get("description").asString()).isEqualTo("Calls");
    }

    static Stream<Arguments> invalidTimes() {
        String nextYear = Instant.now()
                .plus(Duration.ofDays(400))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        return Stream.of(
                Arguments.of(
                        "end before start",
                        Map.of("start", "2026-03-02T10:00", "end", "2026-03-02T09:00"),
                        "end (2026-03-02T08:00:00Z) must be after start (2026-03-02T09:00:00Z)"),
                Arguments.of(
                        "zero length",
                        Map.of("start", "2026-03-02T10:00", "end", "2026-03-02T10:00"),
                        "end (2026-03-02T09:00:00Z) must be after start (2026-03-02T09:00:00Z)"),
                Arguments.of(
                        "over 24 hours by end",
                        Map.of("start", "2026-03-02T10:00", "end", "2026-03-03T10:01"),
                        "end (2026-03-03T09:01:00Z) is 1441 minutes after start; an entry may last at most 24 hours"),
                Arguments.of(
                        "over 24 hours by duration",
                        Map.of("start", "2026-03-02T10:00", "duration_minutes", 1441),
                        "Tool (create_time_entry) input validation failed: Validation failed: JSON schema validation"
                                + " errors: [/duration_minutes: must have a maximum value of 1440]"),
                Arguments.of(
                        "zero duration",
                        Map.of("start", "2026-03-02T10:00", "duration_minutes", 0),
                        "Tool (create_time_entry) input validation failed: Validation failed: JSON schema validation"
                                + " errors: [/duration_minutes: must have a minimum value of 1]"),
                Arguments.of(
                        "before 2000",
                        Map.of("start", "1999-12-31T22:00:00Z", "duration_minutes", 60),
                        "start must be between 2000-01-01 and one year from now, got 1999-12-31T22:00:00Z"),
                Arguments.of(
                        "more than a year ahead",
                        Map.of("start", nextYear, "duration_minutes", 60),
                        "start must be between 2000-01-01 and one year from now, got " + nextYear),
                Arguments.of(
                        "not a date-time",
                        Map.of("start", "next tuesday", "duration_minutes", 60),
                        "start must be an ISO 8601 date-time"),
                Arguments.of(
                        "end and duration",
                        Map.of("start", "2026-03-02T10:00", "end", "2026-03-02T11:00", "duration_minutes", 60),
                        "give either end or duration_minutes, not both and not neither"),
                Arguments.of(
                        "neither end nor duration",
                        Map.of("start", "2026-03-02T10:00"),
                        "give either end or duration_minutes, not both and not neither"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTimes")
    void createTimeEntry_invalidTimes_refusedNamingTheFieldAndNothingRecorded(
            String label, Map<String, Object> args, String message) {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");

        String refused = mcp.refusal("create_time_entry", args);

        assertThat(refused).startsWith(message);
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
    }

    @Test
    void updateTimeEntry_invalidTimes_refusedNamingTheFieldAndEntryUnchanged() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String id = create(mcp, Map.of("start", "2026-03-02T09:00", "duration_minutes", 60));

        String endBeforeStart = mcp.refusal("update_time_entry", Map.of("entry_id", id, "end", "2026-03-02T08:00"));
        String tooLong = mcp.refusal("update_time_entry", Map.of("entry_id", id, "end", "2026-03-04T09:00"));
        String tooEarly = mcp.refusal("update_time_entry", Map.of("entry_id", id, "start", "1990-01-01T09:00"));
        JsonNode after = mcp.ok("get_time_entry", Map.of("entry_id", id));

        assertThat(endBeforeStart).startsWith("end (2026-03-02T07:00:00Z) must be after start");
        assertThat(tooLong).startsWith("end (2026-03-04T08:00:00Z) is 2880 minutes after start");
        assertThat(tooEarly).startsWith("start must be between 2000-01-01");
        assertThat(after.get("start").asString()).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(after.get("duration_minutes").asLong()).isEqualTo(60);
    }

    @Test
    void createAndUpdate_projectOrTagsOfAnotherWorkspaceOrArchivedProject_refusedNamingTheField() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        User stranger = TestData.user(app);
        Workspace elsewhere = TestData.workspace(app, stranger, Plan.BUSINESS);
        McpCall strangerMcp = McpCall.connect(stranger.email(), elsewhere.id(), "timether:write");
        String foreignProject = strangerMcp
                .ok("create_project", Map.of("name", "Theirs"))
                .get("id")
                .asString();
        String foreignTag =
                strangerMcp.ok("create_tag", Map.of("name", "Theirs")).get("id").asString();
        String archived = project("Old work", Map.of());
        owner().ok("archive_project", Map.of("project_id", archived));
        String ownTag = tag("Ours");
        Map<String, Object> start = Map.of("start", "2026-03-02T09:00", "duration_minutes", 60);
        String id = create(mcp, start);

        String projectRefused = mcp.refusal("create_time_entry", with(start, "project_id", foreignProject));
        String tagRefused = mcp.refusal("create_time_entry", with(start, "tag_ids", List.of(ownTag, foreignTag)));
        String archivedRefused = mcp.refusal("create_time_entry", with(start, "project_id", archived));
        String projectUpdate = mcp.refusal("update_time_entry", Map.of("entry_id", id, "project_id", foreignProject));
        String tagUpdate = mcp.refusal("update_time_entry", Map.of("entry_id", id, "tag_ids", List.of(foreignTag)));
        String archivedUpdate = mcp.refusal("update_time_entry", Map.of("entry_id", id, "project_id", archived));
        String timerRefused = mcp.refusal("start_timer", Map.of("project_id", archived));

        assertThat(projectRefused).isEqualTo("No project with id " + foreignProject + " in this workspace");
        assertThat(projectUpdate).isEqualTo(projectRefused);
        assertThat(tagRefused).isEqualTo("Some tag_ids name no tag in this workspace; see list_tags");
        assertThat(tagUpdate).isEqualTo(tagRefused);
        assertThat(archivedRefused).startsWith("Project 'Old work ").contains("' is archived; restore it");
        assertThat(archivedUpdate).isEqualTo(archivedRefused);
        assertThat(timerRefused).isEqualTo(archivedRefused);
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(1);
        assertThat(TrackingRows.timers(app, workspace, me)).isZero();
        assertThat(mcp.ok("get_time_entry", Map.of("entry_id", id))
                        .get("project_id")
                        .isNull())
                .isTrue();
    }

    @Test
    void listTimeEntries_eachFilter_returnsExactlyTheMatchingEntriesNewestFirst() {
        User alice = TestData.member(app, workspace, Role.MEMBER);
        User bob = TestData.member(app, workspace, Role.MEMBER);
        String aliceId = TrackingRows.memberId(app, workspace, alice).toString();
        String bobId = TrackingRows.memberId(app, workspace, bob).toString();
        String client = owner().ok("create_client", Map.of("name", "Client " + TestData.unique()))
                .get("id")
                .asString();
        String p1 = project("P1", Map.of("client_id", client));
        String p3 = project("P3", Map.of("client_id", client));
        String p2 = project("P2", Map.of());
        String t1 = tag("T1");
        String t2 = tag("T2");
        McpCall boss = owner();
        String e1 = create(boss, entry(aliceId, "2026-03-02T09:00", 60, p1, List.of(t1), true));
        String e2 = create(boss, entry(aliceId, "2026-03-09T09:00", 30, p2, List.of(), false));
        String e3 = create(boss, entry(bobId, "2026-03-16T09:00", 45, p3, List.of(t2), true));
        // 00:30 in Berlin is still 3 March in UTC: the day filters must cut in the workspace's time zone.
        String e4 = create(boss, entry(bobId, "2026-03-04T00:30", 30, null, List.of(t1), false));
        String e5 = create(boss, entry(aliceId, "2026-03-20T09:00", 60, p1, List.of(), true));
        TrackingRows.putOnInvoice(app, workspace, UUID.fromString(e5), "draft");
        McpCall aliceMcp = McpCall.connect(alice.email(), workspace.id(), "timether:read");

        assertThat(ids(boss, Map.of())).containsExactly(e5, e3, e2, e4, e1);
        assertThat(ids(boss, Map.of("from", "2026-03-04", "to", "2026-03-04"))).containsExactly(e4);
        assertThat(ids(boss, Map.of("from", "2026-03-03", "to", "2026-03-09"))).containsExactly(e2, e4);
        assertThat(ids(boss, Map.of("from", "2026-03-10"))).containsExactly(e5, e3);
        assertThat(ids(boss, Map.of("to", "2026-03-03"))).containsExactly(e1);
        assertThat(ids(boss, Map.of("member_id", aliceId))).containsExactly(e5, e2, e1);
        assertThat(ids(boss, Map.of("member_id", bobId))).containsExactly(e3, e4);
        assertThat(ids(boss, Map.of("project_id", p1))).containsExactly(e5, e1);
        assertThat(ids(boss, Map.of("client_id", client))).containsExactly(e5, e3, e1);
        assertThat(ids(boss, Map.of("tag_id", t1))).containsExactly(e4, e1);
        assertThat(ids(boss, Map.of("billable", true))).containsExactly(e5, e3, e1);
        assertThat(ids(boss, Map.of("billable", false))).containsExactly(e2, e4);
        assertThat(ids(boss, Map.of("invoiced", true))).containsExactly(e5);
        assertThat(ids(boss, Map.of("invoiced", false))).containsExactly(e3, e2, e4, e1);
        assertThat(ids(boss, Map.of("member_id", aliceId, "billable", true, "from", "2026-03-02")))
                .containsExactly(e5, e1);
        assertThat(ids(aliceMcp, Map.of())).containsExactly(e5, e2, e1);
        assertThat(ids(aliceMcp, Map.of("tag_id", t1))).containsExactly(e1);
        assertThat(ids(aliceMcp, Map.of("member_id", aliceId))).containsExactly(e5, e2, e1);
    }

    @Test
    void listTimeEntries_moreThanTwoPagesWithSharedStarts_pagesWithoutDuplicatesOrGaps() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        Set<String> created = new HashSet<>();
        LocalDate day = LocalDate.parse("2026-02-02");
        // Three entries share each start, so the cursor must break ties by id.
        for (int i = 0; i < 105; i++) {
            String start = day.plusDays(i / 3) + "T09:00";
            created.add(create(mcp, Map.of("start", start, "duration_minutes", 10 + i % 3)));
        }

        List<JsonNode> pages = new ArrayList<>();
        Map<String, Object> args = new HashMap<>(Map.of("limit", 50));
        do {
            JsonNode page = mcp.ok("list_time_entries", args);
            pages.add(page);
            args.put("cursor", page.get("next_cursor").asString(""));
        } while (pages.getLast().get("has_more").asBoolean() && pages.size() < 10);
        List<String> seen = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        pages.forEach(page -> page.get("entries").forEach(e -> {
            seen.add(e.get("id").asString());
            starts.add(Instant.parse(e.get("start").asString()));
        }));
        String tampered = mcp.refusal("list_time_entries", Map.of("cursor", "bm90LWEtY3Vyc29y"));

        assertThat(pages).hasSize(3);
        assertThat(pages.stream().map(p -> p.get("entries").size())).containsExactly(50, 50, 5);
        assertThat(pages.getLast().get("has_more").asBoolean()).isFalse();
        assertThat(pages.getLast().get("next_cursor").isNull()).isTrue();
        assertThat(seen).doesNotHaveDuplicates().hasSize(105);
        assertThat(Set.copyOf(seen)).isEqualTo(created);
        assertThat(starts).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(tampered).startsWith("cursor is not valid");
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MANAGER", "ADMIN"})
    void visibility_memberSeesOwnOnlyWhileManagersSeeAllAndRecordForMembers(Role bossRole) {
        User alice = TestData.member(app, workspace, Role.MEMBER);
        User bob = TestData.member(app, workspace, Role.MEMBER);
        User lead = TestData.member(app, workspace, bossRole);
        String aliceId = TrackingRows.memberId(app, workspace, alice).toString();
        String bobId = TrackingRows.memberId(app, workspace, bob).toString();
        McpCall aliceMcp = McpCall.connect(alice.email(), workspace.id(), "timether:write");
        McpCall bobMcp = McpCall.connect(bob.email(), workspace.id(), "timether:write");
        McpCall leadMcp = McpCall.connect(lead.email(), workspace.id(), "timether:write");
        String aliceOwn = create(aliceMcp, Map.of("start", "2026-03-02T09:00", "duration_minutes", 60));
        String bobs = create(bobMcp, Map.of("start", "2026-03-02T10:00", "duration_minutes", 60, "description", "B"));
        String leads = create(leadMcp, Map.of("start", "2026-03-02T11:00", "duration_minutes", 60));
        JsonNode forAlice = leadMcp.ok(
                "create_time_entry", Map.of("start", "2026-03-02T12:00", "duration_minutes", 30, "member_id", aliceId));
        String random = UUID.randomUUID().toString();

        List<String> aliceSees = ids(aliceMcp, Map.of());
        String getOther = aliceMcp.refusal("get_time_entry", Map.of("entry_id", bobs));
        String getRandom = aliceMcp.refusal("get_time_entry", Map.of("entry_id", random));
        String updateOther = aliceMcp.refusal("update_time_entry", Map.of("entry_id", bobs, "description", "mine"));
        String deleteOther = aliceMcp.refusal("delete_time_entry", Map.of("entry_id", bobs));
        String listOther = aliceMcp.refusal("list_time_entries", Map.of("member_id", bobId));
        String recordForOther = aliceMcp.refusal(
                "create_time_entry", Map.of("start", "2026-03-03T09:00", "duration_minutes", 60, "member_id", bobId));
        List<String> leadSees = ids(leadMcp, Map.of());
        List<String> leadSeesAlice = ids(leadMcp, Map.of("member_id", aliceId));
        JsonNode leadGetsBobs = leadMcp.ok("get_time_entry", Map.of("entry_id", bobs));
        JsonNode leadUpdatesBobs = leadMcp.ok("update_time_entry", Map.of("entry_id", bobs, "description", "B2"));

        assertThat(aliceSees).containsExactly(forAlice.get("id").asString(), aliceOwn);
        assertThat(forAlice.get("member_id").asString()).isEqualTo(aliceId);
        assertThat(getOther).isEqualTo("No time entry with id " + bobs + " in this workspace");
        assertThat(getRandom).isEqualTo("No time entry with id " + random + " in this workspace");
        assertThat(updateOther).isEqualTo(getOther);
        assertThat(deleteOther).isEqualTo(getOther);
        assertThat(listOther).isEqualTo("Members see only their own time; leave member_id out");
        assertThat(recordForOther).isEqualTo("Members work on their own time only; leave member_id out");
        assertThat(leadSees).containsExactly(forAlice.get("id").asString(), leads, bobs, aliceOwn);
        assertThat(leadSeesAlice).containsExactly(forAlice.get("id").asString(), aliceOwn);
        assertThat(leadGetsBobs.get("description").asString()).isEqualTo("B");
        assertThat(leadUpdatesBobs.get("description").asString()).isEqualTo("B2");
        assertThat(leadUpdatesBobs.get("member_id").asString()).isEqualTo(bobId);
        assertThat(TrackingRows.entries(app, workspace, UUID.fromString(bobId))).isEqualTo(1);
    }

    @Test
    void getUpdateDelete_ownerWithAnEntryIdOfAnotherWorkspace_answeredLikeAMissingIdAndNothingChanges() {
        User stranger = TestData.user(app);
        Workspace elsewhere = TestData.workspace(app, stranger, Plan.BUSINESS);
        UUID strangerId = TrackingRows.memberId(app, elsewhere, stranger);
        McpCall strangerMcp = McpCall.connect(stranger.email(), elsewhere.id(), "timether:write");
        String foreign = create(strangerMcp, Map.of("start", "2026-03-02T09:00", "duration_minutes", 60));
        String notFound = "No time entry with id " + foreign + " in this workspace";

        String get = owner().refusal("get_time_entry", Map.of("entry_id", foreign));
        String update = owner().refusal("update_time_entry", Map.of("entry_id", foreign, "description", "x"));
        String delete = owner().refusal("delete_time_entry", Map.of("entry_id", foreign));
        List<String> listed = ids(owner(), Map.of("member_id", strangerId.toString()));

        assertThat(List.of(get, update, delete)).containsOnly(notFound);
        assertThat(listed).isEmpty();
        assertThat(strangerMcp
                        .ok("get_time_entry", Map.of("entry_id", foreign))
                        .get("description")
                        .asString())
                .isEmpty();
        assertThat(TrackingRows.entries(app, elsewhere, strangerId)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER", "ADMIN"})
    void lockDate_entryOnOrBeforeIt_refusedToCreateUpdateAndDeleteWithTheReason(Role role) {
        User user = TestData.member(app, workspace, role);
        UUID me = TrackingRows.memberId(app, workspace, user);
        McpCall mcp = McpCall.connect(user.email(), workspace.id(), "timether:write");
        String before = create(mcp, Map.of("start", "2026-03-10T17:00", "duration_minutes", 60));
        String after = create(mcp, Map.of("start", "2026-03-12T09:00", "duration_minutes", 60));
        TrackingRows.setLockDate(app, workspace, LocalDate.parse("2026-03-10"));
        String reason = "Time on 2026-03-10 is locked: the workspace's lock date is 2026-03-10."
                + " An admin can move the lock date.";

        String create = mcp.refusal("create_time_entry", Map.of("start", "2026-03-10T23:00", "duration_minutes", 30));
        String update = mcp.refusal("update_time_entry", Map.of("entry_id", before, "description", "late fix"));
        String delete = mcp.refusal("delete_time_entry", Map.of("entry_id", before));
        String moveIn = mcp.refusal("update_time_entry", Map.of("entry_id", after, "start", "2026-03-10T09:00"));
        // 23:30 UTC on the lock date is already 11 March in Berlin.
        JsonNode nextDay = mcp.ok("create_time_entry", Map.of("start", "2026-03-10T23:30:00Z", "duration_minutes", 30));
        JsonNode changedAfter = mcp.ok("update_time_entry", Map.of("entry_id", after, "description", "open"));

        assertThat(create).isEqualTo(reason);
        assertThat(update).isEqualTo(reason);
        assertThat(delete).isEqualTo(reason);
        assertThat(moveIn).isEqualTo(reason);
        assertThat(nextDay.get("start").asString()).isEqualTo("2026-03-10T23:30:00Z");
        assertThat(changedAfter.get("description").asString()).isEqualTo("open");
        assertThat(mcp.ok("get_time_entry", Map.of("entry_id", before))
                        .get("description")
                        .asString())
                .isEmpty();
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(3);
    }

    @Test
    void approvedTimesheet_entryInThatWeek_refusedToCreateUpdateAndDeleteWithTheReason() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        User colleague = TestData.member(app, workspace, Role.MEMBER);
        User manager = TestData.member(app, workspace, Role.MANAGER);
        String memberId = TrackingRows.memberId(app, workspace, member).toString();
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        McpCall colleagueMcp = McpCall.connect(colleague.email(), workspace.id(), "timether:write");
        McpCall boss = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        String entry = create(mcp, Map.of("start", "2026-03-03T09:00", "duration_minutes", 60));
        mcp.ok("submit_timesheet", Map.of("week", "2026-03-03"));
        Map<String, Object> week = Map.of("member_id", memberId, "week", "2026-03-02");
        JsonNode pending = boss.ok("approve_timesheet", week);
        boss.ok(
                "approve_timesheet",
                with(
                        week,
                        "confirmation_token",
                        pending.get("confirmation_token").asString()));
        String reason = "is locked: the timesheet of the week of 2026-03-02 is approved."
                + " A manager can reopen it with reopen_timesheet.";

        String create = mcp.refusal("create_time_entry", Map.of("start", "2026-03-08T20:00", "duration_minutes", 30));
        String update = mcp.refusal("update_time_entry", Map.of("entry_id", entry, "duration_minutes", 30));
        String delete = mcp.refusal("delete_time_entry", Map.of("entry_id", entry));
        String managerUpdate = boss.refusal("update_time_entry", Map.of("entry_id", entry, "description", "x"));
        String managerCreate = boss.refusal(
                "create_time_entry",
                Map.of("start", "2026-03-04T09:00", "duration_minutes", 30, "member_id", memberId));
        JsonNode nextWeek = mcp.ok("create_time_entry", Map.of("start", "2026-03-09T09:00", "duration_minutes", 30));
        JsonNode colleagueSameWeek =
                colleagueMcp.ok("create_time_entry", Map.of("start", "2026-03-04T09:00", "duration_minutes", 30));

        assertThat(create).isEqualTo("Time on 2026-03-08 " + reason);
        assertThat(update).isEqualTo("Time on 2026-03-03 " + reason);
        assertThat(delete).isEqualTo("Time on 2026-03-03 " + reason);
        assertThat(managerUpdate).isEqualTo("Time on 2026-03-03 " + reason);
        assertThat(managerCreate).isEqualTo("Time on 2026-03-04 " + reason);
        assertThat(nextWeek.get("id").asString()).isNotBlank();
        assertThat(colleagueSameWeek.get("id").asString()).isNotBlank();
        assertThat(mcp.ok("get_time_entry", Map.of("entry_id", entry))
                        .get("duration_minutes")
                        .asLong())
                .isEqualTo(60);
    }

    @Test
    void updateTimeEntry_whileItsWeekIsBeingApproved_waitsForTheApprovalAndIsRefused() throws Exception {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID memberId = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String entry = create(mcp, Map.of("start", "2026-03-03T09:00", "duration_minutes", 60));
        mcp.ok("submit_timesheet", Map.of("week", "2026-03-03"));
        JsonNode answer;

        try (Handle approval = app.database().jdbi().open();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            approval.begin();
            approval.createUpdate("UPDATE timesheets SET status = 'approved', decided_at = now()"
                            + " WHERE workspace_id = :ws AND membership_id = :member AND week_start = '2026-03-02'")
                    .bind("ws", workspace.id())
                    .bind("member", memberId)
                    .execute();
            Future<JsonNode> update = threads.submit(
                    () -> mcp.tool("update_time_entry", Map.of("entry_id", entry, "duration_minutes", 30)));
            boolean isWaiting = TrackingRows.awaitLockWait(app, update, "FROM timesheets");
            approval.commit();
            answer = update.get();
            assertThat(isWaiting)
                    .as("the update waited for the approval's row lock")
                    .isTrue();
        }

        assertThat(answer.path("isError").asBoolean()).isTrue();
        assertThat(answer.get("content").get(0).get("text").asString())
                .isEqualTo("Time on 2026-03-03 is locked: the timesheet of the week of 2026-03-02 is approved."
                        + " A manager can reopen it with reopen_timesheet.");
        assertThat(mcp.ok("get_time_entry", Map.of("entry_id", entry))
                        .get("duration_minutes")
                        .asLong())
                .isEqualTo(60);
    }

    @Test
    void issuedInvoice_entryOnIt_refusedToUpdateAndDeleteWhileADraftDoesNotLock() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String issued = create(mcp, Map.of("start", "2026-03-03T09:00", "duration_minutes", 60));
        String drafted = create(mcp, Map.of("start", "2026-03-04T09:00", "duration_minutes", 60));
        TrackingRows.putOnInvoice(app, workspace, UUID.fromString(issued), "issued");
        TrackingRows.putOnInvoice(app, workspace, UUID.fromString(drafted), "draft");

        String update = mcp.refusal("update_time_entry", Map.of("entry_id", issued, "description", "x"));
        String delete = mcp.refusal("delete_time_entry", Map.of("entry_id", issued));
        JsonNode draftUpdate = mcp.ok("update_time_entry", Map.of("entry_id", drafted, "description", "x"));

        assertThat(update)
                .startsWith("This entry is locked: it is billed on invoice INV-")
                .endsWith(", which was issued. Void the invoice first to change it.");
        assertThat(delete).isEqualTo(update);
        assertThat(draftUpdate.get("description").asString()).isEqualTo("x");
    }

    @Test
    void billRate_resolvedInOrderAndKeptOnTheEntryWhenRatesChangeLater() {
        User rated = TestData.member(app, workspace, Role.MEMBER);
        User unrated = TestData.member(app, workspace, Role.MEMBER);
        String ratedId = TrackingRows.memberId(app, workspace, rated).toString();
        String unratedId = TrackingRows.memberId(app, workspace, unrated).toString();
        McpCall admin = McpCall.connect(owner.email(), workspace.id(), "timether:admin");
        TrackingRows.setDefaultRate(app, workspace, 5000);
        admin.ok("update_member_rates", Map.of("member_id", ratedId, "bill_rate_minor", 7000));
        String ratedProject = project("Rated", Map.of("rate_minor", 9000));
        String plainProject = project("Plain", Map.of());
        admin.ok("add_project_member", Map.of("project_id", ratedProject, "member_id", ratedId, "rate_minor", 11000));
        admin.ok("add_project_member", Map.of("project_id", ratedProject, "member_id", unratedId));
        McpCall ratedMcp = McpCall.connect(rated.email(), workspace.id(), "timether:write");
        McpCall unratedMcp = McpCall.connect(unrated.email(), workspace.id(), "timether:write");

        JsonNode projectMember = ratedMcp.ok("create_time_entry", timed("2026-03-02T09:00", ratedProject));
        JsonNode projectRate = unratedMcp.ok("create_time_entry", timed("2026-03-02T09:00", ratedProject));
        JsonNode memberRate = ratedMcp.ok("create_time_entry", timed("2026-03-02T11:00", plainProject));
        JsonNode memberRateNoProject = ratedMcp.ok("create_time_entry", timed("2026-03-02T13:00", null));
        JsonNode workspaceDefault = unratedMcp.ok("create_time_entry", timed("2026-03-02T11:00", plainProject));
        JsonNode defaultNoProject = unratedMcp.ok("create_time_entry", timed("2026-03-02T13:00", null));
        admin.ok("update_member_rates", Map.of("member_id", ratedId, "bill_rate_minor", 7700));
        owner().ok("update_project", Map.of("project_id", ratedProject, "rate_minor", 9900));
        TrackingRows.setDefaultRate(app, workspace, 5500);
        JsonNode moved = unratedMcp.ok(
                "update_time_entry",
                Map.of("entry_id", defaultNoProject.get("id").asString(), "project_id", ratedProject));
        JsonNode newProjectRate = unratedMcp.ok("create_time_entry", timed("2026-03-03T09:00", ratedProject));
        JsonNode newDefault = unratedMcp.ok("create_time_entry", timed("2026-03-03T11:00", null));
        JsonNode newMemberRate = ratedMcp.ok("create_time_entry", timed("2026-03-03T11:00", null));

        assertThat(projectMember.get("rate_minor").asLong()).isEqualTo(11000);
        assertThat(projectRate.get("rate_minor").asLong()).isEqualTo(9000);
        assertThat(memberRate.get("rate_minor").asLong()).isEqualTo(7000);
        assertThat(memberRateNoProject.get("rate_minor").asLong()).isEqualTo(7000);
        assertThat(workspaceDefault.get("rate_minor").asLong()).isEqualTo(5000);
        assertThat(defaultNoProject.get("rate_minor").asLong()).isEqualTo(5000);
        assertThat(rate(ratedMcp, projectMember)).isEqualTo(11000);
        assertThat(rate(unratedMcp, projectRate)).isEqualTo(9000);
        assertThat(rate(ratedMcp, memberRate)).isEqualTo(7000);
        assertThat(rate(unratedMcp, workspaceDefault)).isEqualTo(5000);
        assertThat(moved.get("project_id").asString()).isEqualTo(ratedProject);
        assertThat(moved.get("rate_minor").asLong()).isEqualTo(5000);
        assertThat(newProjectRate.get("rate_minor").asLong()).isEqualTo(9900);
        assertThat(newDefault.get("rate_minor").asLong()).isEqualTo(5500);
        assertThat(newMemberRate.get("rate_minor").asLong()).isEqualTo(7700);
    }

    @Test
    void createTimeEntry_concurrentCallsWithOneIdempotencyKey_createOneEntry() throws Exception {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        Map<String, Object> args = Map.of(
                "start", "2026-03-02T09:00", "duration_minutes", 60, "description", "Once", "idempotency_key", "e-1");
        int calls = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> results = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return mcp.ok("create_time_entry", args);
                }));
            }
            go.countDown();
        }
        Set<String> ids = new HashSet<>();
        for (Future<JsonNode> result : results) {
            ids.add(result.get().get("id").asString());
        }
        JsonNode repeat = mcp.ok("create_time_entry", args);
        String otherArgs = mcp.refusal("create_time_entry", with(args, "description", "Twice"));

        assertThat(ids).hasSize(1);
        assertThat(repeat.get("id").asString()).isEqualTo(ids.iterator().next());
        assertThat(otherArgs)
                .isEqualTo("idempotency_key 'e-1' was already used with other arguments; use a new key for a new"
                        + " request");
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER", "ADMIN"})
    void readConnection_eachRole_listsAndGetsButCannotCreateUpdateOrDelete(Role role) {
        User user = TestData.member(app, workspace, role);
        UUID me = TrackingRows.memberId(app, workspace, user);
        McpCall writer = McpCall.connect(user.email(), workspace.id(), "timether:write");
        McpCall reader = McpCall.connect(user.email(), workspace.id(), "timether:read");
        String id = create(writer, Map.of("start", "2026-03-02T09:00", "duration_minutes", 60, "description", "R"));

        List<String> listed = ids(reader, Map.of());
        JsonNode fetched = reader.ok("get_time_entry", Map.of("entry_id", id));
        List<String> tools = new ArrayList<>();
        reader.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> tools.add(t.get("name").asString()));
        Map<String, Map<String, Object>> writes = Map.of(
                "create_time_entry", Map.of("start", "2026-03-03T09:00", "duration_minutes", 60),
                "update_time_entry", Map.of("entry_id", id, "description", "changed"),
                "delete_time_entry", Map.of("entry_id", id));
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        writes.forEach(
                (tool, args) -> answers.put(tool, reader.send("tools/call", Map.of("name", tool, "arguments", args))));

        assertThat(listed).containsExactly(id);
        assertThat(fetched.get("description").asString()).isEqualTo("R");
        assertThat(tools)
                .contains("list_time_entries", "get_time_entry")
                .doesNotContain("create_time_entry", "update_time_entry", "delete_time_entry");
        answers.forEach((tool, response) -> {
            assertThat(response.statusCode()).as(tool).isEqualTo(403);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("error=\"insufficient_scope\"")
                    .contains("timether:write");
            assertThat(response.body()).contains(tool + " needs the timether:write scope");
        });
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(1);
        assertThat(writer.ok("get_time_entry", Map.of("entry_id", id))
                        .get("description")
                        .asString())
                .isEqualTo("R");
    }

    @Test
    void writeTools_workspaceTurnsPastDue_absentAndRefusedWhileReadsStillWork() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String id = create(mcp, Map.of("start", "2026-03-02T09:00", "duration_minutes", 60));
        app.workspaces().setBillingState(workspace.id(), BillingState.PAST_DUE, Actor.operator());

        List<String> tools = new ArrayList<>();
        mcp.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> tools.add(t.get("name").asString()));
        String create = mcp.refusal("create_time_entry", Map.of("start", "2026-03-03T09:00", "duration_minutes", 60));
        String update = mcp.refusal("update_time_entry", Map.of("entry_id", id, "description", "x"));
        String start = mcp.refusal("start_timer", Map.of());
        List<String> listed = ids(mcp, Map.of());

        assertThat(tools)
                .contains("list_time_entries", "get_time_entry", "get_running_timer")
                .doesNotContain("create_time_entry", "update_time_entry", "delete_time_entry", "start_timer");
        assertThat(create)
                .isEqualTo("create_time_entry is not available to this connection: The workspace is read-only while"
                        + " its billing state is past_due.");
        assertThat(update).startsWith("update_time_entry is not available").endsWith("past_due.");
        assertThat(start).startsWith("start_timer is not available").endsWith("past_due.");
        assertThat(listed).containsExactly(id);
    }

    private McpCall owner() {
        if (ownerConnection == null) {
            ownerConnection = McpCall.connect(owner.email(), workspace.id(), "timether:write");
        }
        return ownerConnection;
    }

    private String project(String name, Map<String, Object> fields) {
        return owner().ok("create_project", with(fields, "name", name + " " + TestData.unique()))
                .get("id")
                .asString();
    }

    private String tag(String name) {
        return owner().ok("create_tag", Map.of("name", name)).get("id").asString();
    }

    private static String create(McpCall mcp, Map<String, Object> args) {
        return mcp.ok("create_time_entry", args).get("id").asString();
    }

    private static Map<String, Object> entry(
            String member, String start, int minutes, String project, List<String> tags, boolean isBillable) {
        Map<String, Object> args = new HashMap<>();
        args.put("member_id", member);
        args.put("start", start);
        args.put("duration_minutes", minutes);
        args.put("tag_ids", tags);
        args.put("billable", isBillable);
        if (project != null) {
            args.put("project_id", project);
        }
        return args;
    }

    private static Map<String, Object> timed(String start, String project) {
        Map<String, Object> args = new HashMap<>(Map.of("start", start, "duration_minutes", 60));
        if (project != null) {
            args.put("project_id", project);
        }
        return args;
    }

    private static long rate(McpCall mcp, JsonNode entry) {
        return mcp.ok("get_time_entry", Map.of("entry_id", entry.get("id").asString()))
                .get("rate_minor")
                .asLong();
    }

    private static List<String> ids(McpCall mcp, Map<String, Object> filters) {
        List<String> ids = new ArrayList<>();
        mcp.ok("list_time_entries", filters)
                .get("entries")
                .forEach(e -> ids.add(e.get("id").asString()));
        return ids;
    }

    private static Map<String, Object> with(Map<String, Object> args, String name, Object value) {
        Map<String, Object> copy = new HashMap<>(args);
        copy.put(name, value);
        return copy;
    }
}
