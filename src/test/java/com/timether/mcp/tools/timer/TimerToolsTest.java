package com.timether.mcp.tools.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.RoundingMode;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The timer tools through the real /mcp endpoint, with tokens from the real OAuth flow. */
class TimerToolsTest {
    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private McpCall ownerConnection;

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER", "ADMIN"})
    void startGetStop_eachRole_runsOneTimerAndRecordsItAsOwnEntry(Role role) {
        User user = TestData.member(app, workspace, role);
        UUID me = TrackingRows.memberId(app, workspace, user);
        McpCall mcp = McpCall.connect(user.email(), workspace.id(), "timether:write");
        String project = projectOf(mcp, role);
        String tag = tagOf(mcp, role);

        JsonNode idle = mcp.ok("get_running_timer", Map.of());
        JsonNode started = mcp.ok(
                "start_timer", Map.of("description", "Writing specs", "project_id", project, "tag_ids", List.of(tag)));
        JsonNode running = mcp.ok("get_running_timer", Map.of());
        JsonNode stopped = mcp.ok("stop_timer", Map.of());
        JsonNode after = mcp.ok("get_running_timer", Map.of());

        assertThat(idle.get("running").asBoolean()).isFalse();
        assertThat(idle.get("timer").isNull()).isTrue();
        assertThat(started.get("running").asBoolean()).isTrue();
        assertThat(started.get("timer").get("member_id").asString()).isEqualTo(me.toString());
        assertThat(running.get("timer").get("id").asString())
                .isEqualTo(started.get("timer").get("id").asString());
        assertThat(running.get("timer").get("description").asString()).isEqualTo("Writing specs");
        assertThat(running.get("timer").get("project_id").asString()).isEqualTo(project);
        JsonNode entry = stopped.get("entry");
        assertThat(entry.get("member_id").asString()).isEqualTo(me.toString());
        assertThat(entry.get("description").asString()).isEqualTo("Writing specs");
        assertThat(entry.get("project_id").asString()).isEqualTo(project);
        assertThat(entry.get("tags").get(0).get("id").asString()).isEqualTo(tag);
        assertThat(entry.get("start").asString())
                .isEqualTo(started.get("timer").get("started_at").asString());
        assertThat(stopped.get("capped_at_24_hours").asBoolean()).isFalse();
        assertThat(after.get("running").asBoolean()).isFalse();
        assertThat(TrackingRows.timers(app, workspace, me)).isZero();
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(1);
        assertThat(TrackingRows.audit(app, workspace, "timer.start"))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.channel()).isEqualTo("mcp");
                    assertThat(event.actor()).isEqualTo(user.id());
                    assertThat(event.clientId()).isNotBlank();
                    assertThat(event.tool()).isEqualTo("start_timer");
                    assertThat(event.target())
                            .isEqualTo(started.get("timer").get("id").asString());
                });
        assertThat(TrackingRows.audit(app, workspace, "timer.stop"))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.actor()).isEqualTo(user.id());
                    assertThat(event.tool()).isEqualTo("stop_timer");
                    assertThat(event.target()).isEqualTo(entry.get("id").asString());
                });
    }

    @Test
    void startTimer_whileOneRuns_refusedNamingTheRunningTimer() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String project = managerProject("Website");
        JsonNode first = mcp.ok("start_timer", Map.of("description", "Landing page", "project_id", project));

        String refused = mcp.refusal("start_timer", Map.of("description", "Something else"));
        JsonNode running = mcp.ok("get_running_timer", Map.of());

        assertThat(refused)
                .contains("A timer is already running")
                .contains("'Landing page'")
                .contains("Website")
                .contains("stop_running=true");
        assertThat(running.get("timer").get("id").asString())
                .isEqualTo(first.get("timer").get("id").asString());
        assertThat(running.get("timer").get("description").asString()).isEqualTo("Landing page");
        assertThat(TrackingRows.timers(app, workspace, me)).isEqualTo(1);
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
    }

    @Test
    void startTimer_stopRunningTrue_stopsTheRunningTimerIntoAnEntryFirst() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        JsonNode first = mcp.ok("start_timer", Map.of("description", "First task"));

        JsonNode second = mcp.ok("start_timer", Map.of("description", "Second task", "stop_running", true));
        JsonNode entries = mcp.ok("list_time_entries", Map.of());

        assertThat(second.get("timer").get("description").asString()).isEqualTo("Second task");
        assertThat(second.get("timer").get("id").asString())
                .isNotEqualTo(first.get("timer").get("id").asString());
        assertThat(entries.get("entries").size()).isEqualTo(1);
        assertThat(entries.get("entries").get(0).get("description").asString()).isEqualTo("First task");
        assertThat(entries.get("entries").get(0).get("start").asString())
                .isEqualTo(first.get("timer").get("started_at").asString());
        assertThat(TrackingRows.timers(app, workspace, me)).isEqualTo(1);
    }

    @Test
    void stopTimer_projectArchivedWhileRunning_recordsTheEntryOnThatProject() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String project = managerProject("Closing soon");
        String tag = tagOf(mcp, Role.MEMBER);
        mcp.ok("start_timer", Map.of("description", "Last task", "project_id", project, "tag_ids", List.of(tag)));
        ownerConnection().ok("archive_project", Map.of("project_id", project, "archived", true));

        JsonNode running = mcp.ok("get_running_timer", Map.of());
        JsonNode stopped = mcp.ok("stop_timer", Map.of());
        String refusedNew = mcp.refusal("start_timer", Map.of("description", "More", "project_id", project));

        assertThat(running.get("timer").get("tag_ids").get(0).asString()).isEqualTo(tag);
        assertThat(stopped.get("entry").get("project_id").asString()).isEqualTo(project);
        assertThat(TrackingRows.timers(app, workspace, me)).isZero();
        assertThat(TrackingRows.entries(app, workspace, me)).isEqualTo(1);
        assertThat(refusedNew).contains("'Closing soon' is archived");
    }

    @Test
    void startTimer_stopRunningTrueWithoutATimer_justStarts() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");

        JsonNode started = mcp.ok("start_timer", Map.of("description", "Fresh", "stop_running", true));

        assertThat(started.get("running").asBoolean()).isTrue();
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        // rounding minutes, mode, minutes the timer ran, minutes recorded
        "15, UP, 7, 15",
        "15, UP, 16, 30",
        "15, DOWN, 22, 15",
        "15, DOWN, 5, 15",
        "10, NEAREST, 14, 10",
        "10, NEAREST, 17, 20",
        "60, NEAREST, 20, 60",
        "0, NEAREST, 42, 42"
    })
    void stopTimer_workspaceRounding_recordsTheRoundedLength(
            int roundTo, RoundingMode mode, int ranMinutes, int recordedMinutes) {
        TrackingRows.setRounding(app, workspace, roundTo, mode);
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        mcp.ok("start_timer", Map.of("description", "Rounded"));
        // A few seconds past the whole minute, so that the test's own run time never crosses a rounding boundary.
        TrackingRows.startTimerAgo(
                app, workspace, me, Duration.ofMinutes(ranMinutes).plusSeconds(5));

        JsonNode stopped = mcp.ok("stop_timer", Map.of());

        assertThat(stopped.get("elapsed_minutes").asLong()).isEqualTo(ranMinutes);
        assertThat(stopped.get("recorded_minutes").asLong()).isEqualTo(recordedMinutes);
        assertThat(stopped.get("entry").get("duration_minutes").asLong()).isEqualTo(recordedMinutes);
        assertThat(stopped.get("capped_at_24_hours").asBoolean()).isFalse();
    }

    @Test
    void stopTimer_ranOver24Hours_recordsExactly24HoursAndSaysItWasCapped() {
        TrackingRows.setRounding(app, workspace, 15, RoundingMode.UP);
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        JsonNode started = mcp.ok("start_timer", Map.of("description", "Forgot to stop"));
        TrackingRows.startTimerAgo(app, workspace, me, Duration.ofHours(30));

        JsonNode stopped = mcp.ok("stop_timer", Map.of());

        assertThat(started.get("running").asBoolean()).isTrue();
        assertThat(stopped.get("capped_at_24_hours").asBoolean()).isTrue();
        assertThat(stopped.get("elapsed_minutes").asLong()).isGreaterThanOrEqualTo(30 * 60);
        assertThat(stopped.get("recorded_minutes").asLong()).isEqualTo(24 * 60);
        assertThat(stopped.get("entry").get("duration_minutes").asLong()).isEqualTo(24 * 60);
        assertThat(TrackingRows.timers(app, workspace, me)).isZero();
    }

    @Test
    void stopTimer_noTimerRunning_refusedPointingToStartTimer() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");

        String stop = mcp.refusal("stop_timer", Map.of());
        String discard = mcp.refusal("discard_timer", Map.of());

        assertThat(stop).isEqualTo("No timer is running; start one with start_timer");
        assertThat(discard).isEqualTo("No timer is running; start one with start_timer");
    }

    @Test
    void discardTimer_withConfirmation_removesTheTimerWithoutRecordingTime() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        mcp.ok("start_timer", Map.of("description", "Mistake"));

        JsonNode pending = mcp.ok("discard_timer", Map.of());
        int timersWhilePending = TrackingRows.timers(app, workspace, me);
        String token = pending.get("confirmation_token").asString();
        JsonNode discarded = mcp.ok("discard_timer", Map.of("confirmation_token", token));
        String reused = mcp.refusal("discard_timer", Map.of("confirmation_token", token));

        assertThat(pending.get("confirmation_required").asBoolean()).isTrue();
        assertThat(pending.get("effect").asString()).contains("Discard").contains("'Mistake'");
        assertThat(pending.get("expires_at").asString()).isNotBlank();
        assertThat(timersWhilePending).isEqualTo(1);
        assertThat(discarded.get("running").asBoolean()).isFalse();
        assertThat(reused).contains("already used");
        assertThat(TrackingRows.timers(app, workspace, me)).isZero();
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
        assertThat(TrackingRows.audit(app, workspace, "timer.discard"))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.actor()).isEqualTo(member.id());
                    assertThat(event.tool()).isEqualTo("discard_timer");
                });
    }

    @Test
    void discardTimer_tokenUsedForAnotherMember_refusedAndBothTimersRun() {
        User first = TestData.member(app, workspace, Role.MEMBER);
        User second = TestData.member(app, workspace, Role.MEMBER);
        UUID firstId = TrackingRows.memberId(app, workspace, first);
        UUID secondId = TrackingRows.memberId(app, workspace, second);
        User manager = TestData.member(app, workspace, Role.MANAGER);
        McpCall.connect(first.email(), workspace.id(), "timether:write").ok("start_timer", Map.of());
        McpCall.connect(second.email(), workspace.id(), "timether:write").ok("start_timer", Map.of());
        McpCall lead = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        JsonNode pending = lead.ok("discard_timer", Map.of("member_id", firstId.toString()));

        String refused = lead.refusal(
                "discard_timer",
                Map.of(
                        "member_id",
                        secondId.toString(),
                        "confirmation_token",
                        pending.get("confirmation_token").asString()));

        assertThat(refused).startsWith("confirmation_token was issued for other arguments");
        assertThat(TrackingRows.timers(app, workspace, firstId)).isEqualTo(1);
        assertThat(TrackingRows.timers(app, workspace, secondId)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MANAGER", "ADMIN"})
    void actForMember_managerOrAdminWithMemberId_seesStopsAndDiscardsTheMembersTimer(Role role) {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID memberId = TrackingRows.memberId(app, workspace, member);
        User boss = TestData.member(app, workspace, role);
        UUID bossId = TrackingRows.memberId(app, workspace, boss);
        McpCall worker = McpCall.connect(member.email(), workspace.id(), "timether:write");
        McpCall lead = McpCall.connect(boss.email(), workspace.id(), "timether:write");
        worker.ok("start_timer", Map.of("description", "Member work"));

        JsonNode seen = lead.ok("get_running_timer", Map.of("member_id", memberId.toString()));
        JsonNode own = lead.ok("get_running_timer", Map.of());
        JsonNode stopped = lead.ok("stop_timer", Map.of("member_id", memberId.toString()));
        worker.ok("start_timer", Map.of("description", "Second member task"));
        JsonNode pending = lead.ok("discard_timer", Map.of("member_id", memberId.toString()));
        lead.ok(
                "discard_timer",
                Map.of(
                        "member_id",
                        memberId.toString(),
                        "confirmation_token",
                        pending.get("confirmation_token").asString()));

        assertThat(seen.get("timer").get("description").asString()).isEqualTo("Member work");
        assertThat(own.get("running").asBoolean()).isFalse();
        assertThat(stopped.get("entry").get("member_id").asString()).isEqualTo(memberId.toString());
        assertThat(pending.get("effect").asString()).contains("'Second member task'");
        assertThat(TrackingRows.timers(app, workspace, memberId)).isZero();
        assertThat(TrackingRows.entries(app, workspace, memberId)).isEqualTo(1);
        assertThat(TrackingRows.entries(app, workspace, bossId)).isZero();
    }

    @Test
    void actForOthers_memberWithAnotherMembersId_refusedAndTheirTimerRuns() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        User colleague = TestData.member(app, workspace, Role.MEMBER);
        UUID colleagueId = TrackingRows.memberId(app, workspace, colleague);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        McpCall other = McpCall.connect(colleague.email(), workspace.id(), "timether:write");
        other.ok("start_timer", Map.of("description", "Colleague's secret"));
        Map<String, Object> forColleague = Map.of("member_id", colleagueId.toString());

        String get = mcp.refusal("get_running_timer", forColleague);
        String stop = mcp.refusal("stop_timer", forColleague);
        String discard = mcp.refusal("discard_timer", forColleague);

        for (String refusal : List.of(get, stop, discard)) {
            assertThat(refusal).isEqualTo("Members work on their own time only; leave member_id out");
        }
        assertThat(TrackingRows.timers(app, workspace, colleagueId)).isEqualTo(1);
        assertThat(TrackingRows.entries(app, workspace, colleagueId)).isZero();
    }

    @Test
    void actForMember_memberIdOfAnotherWorkspace_answeredAsNotFound() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        User stranger = TestData.user(app);
        Workspace elsewhere = TestData.workspace(app, stranger, Plan.BUSINESS);
        UUID strangerId = TrackingRows.memberId(app, elsewhere, stranger);
        McpCall mcp = McpCall.connect(manager.email(), workspace.id(), "timether:write");

        String refused = mcp.refusal("stop_timer", Map.of("member_id", strangerId.toString()));

        assertThat(refused).isEqualTo("No active member with id " + strangerId + " in this workspace");
    }

    @ParameterizedTest
    @EnumSource(
            value = Role.class,
            names = {"MEMBER", "MANAGER", "ADMIN"})
    void readConnection_eachRole_seesTheTimerButCannotStartStopOrDiscard(Role role) {
        User user = TestData.member(app, workspace, role);
        UUID me = TrackingRows.memberId(app, workspace, user);
        McpCall writer = McpCall.connect(user.email(), workspace.id(), "timether:write");
        McpCall reader = McpCall.connect(user.email(), workspace.id(), "timether:read");
        writer.ok("start_timer", Map.of("description", "Read only check"));

        JsonNode running = reader.ok("get_running_timer", Map.of());
        List<String> listed = new ArrayList<>();
        reader.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> listed.add(t.get("name").asString()));
        HttpResponse<String> start = reader.send("tools/call", call("start_timer", Map.of()));
        HttpResponse<String> stop = reader.send("tools/call", call("stop_timer", Map.of()));
        HttpResponse<String> discard = reader.send("tools/call", call("discard_timer", Map.of()));

        assertThat(running.get("timer").get("description").asString()).isEqualTo("Read only check");
        assertThat(listed).contains("get_running_timer").doesNotContain("start_timer", "stop_timer", "discard_timer");
        for (HttpResponse<String> refused : List.of(start, stop, discard)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("error=\"insufficient_scope\"")
                    .contains("timether:write");
            assertThat(refused.body()).contains("needs the timether:write scope");
        }
        assertThat(TrackingRows.timers(app, workspace, me)).isEqualTo(1);
        assertThat(TrackingRows.entries(app, workspace, me)).isZero();
    }

    @Test
    void startTimer_fiftyParallelCallsForOneMember_exactlyOneRunsAndTheOthersAreRefused() throws Exception {
        User member = TestData.member(app, workspace, Role.MEMBER);
        UUID me = TrackingRows.memberId(app, workspace, member);
        McpCall mcp = McpCall.connect(member.email(), workspace.id(), "timether:write");
        int calls = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> results = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                String description = "Parallel " + i;
                results.add(threads.submit(() -> {
                    go.await();
                    return mcp.tool("start_timer", Map.of("description", description));
                }));
            }
            go.countDown();
        }
        List<JsonNode> started = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Future<JsonNode> result : results) {
            JsonNode answer = result.get();
            if (answer.path("isError").asBoolean(false)) {
                refused.add(answer.get("content").get(0).get("text").asString());
            } else {
                started.add(answer.get("structuredContent"));
            }
        }
        JsonNode running = mcp.ok("get_running_timer", Map.of());

        assertThat(started).hasSize(1);
        assertThat(refused).hasSize(calls - 1);
        assertThat(refused)
                .allSatisfy(text -> assertThat(text)
                        .startsWith("A timer is already running: ")
                        .contains("stop_running=true"));
        assertThat(TrackingRows.timers(app, workspace, me)).isEqualTo(1);
        assertThat(running.get("timer").get("id").asString())
                .isEqualTo(started.getFirst().get("timer").get("id").asString());
    }

    private static Map<String, Object> call(String tool, Map<String, Object> arguments) {
        return Map.of("name", tool, "arguments", arguments);
    }

    /** A project made by a manager (members cannot create projects), or by the caller when allowed. */
    private String projectOf(McpCall mcp, Role role) {
        String name = "Project " + TestData.unique();
        if (role == Role.MEMBER) {
            return managerProject(name);
        }
        return mcp.ok("create_project", Map.of("name", name)).get("id").asString();
    }

    private String tagOf(McpCall mcp, Role role) {
        McpCall creator = role == Role.MEMBER ? ownerConnection() : mcp;
        return creator.ok("create_tag", Map.of("name", "Tag " + TestData.unique()))
                .get("id")
                .asString();
    }

    private String managerProject(String name) {
        return ownerConnection()
                .ok("create_project", Map.of("name", name))
                .get("id")
                .asString();
    }

    private McpCall ownerConnection() {
        if (ownerConnection == null) {
            ownerConnection = McpCall.connect(owner.email(), workspace.id(), "timether:write");
        }
        return ownerConnection;
    }
}
