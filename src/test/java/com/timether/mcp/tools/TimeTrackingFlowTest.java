package com.timether.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TimeTrackingFlowTest {
    private final Application app = TestServer.app();

    @Test
    void trackSubmitApproveReport_memberAndManager_locksTheWeek() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
        User member = TestData.member(app, workspace, Role.MEMBER);
        User manager = TestData.member(app, workspace, Role.MANAGER);
        McpCall boss = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        McpCall me = McpCall.connect(member.email(), workspace.id(), "timether:write");
        String project = boss.ok("create_project", Map.of("name", "Alpha", "rate_minor", 10000))
                .get("id")
                .asString();

        JsonNode started = me.ok("start_timer", Map.of("project_id", project, "description", "Coding"));
        String refused = me.refusal("start_timer", Map.of("description", "Other"));
        JsonNode stopped = me.ok("stop_timer", Map.of());
        JsonNode entry = me.ok(
                "create_time_entry",
                Map.of("start", "2026-03-02T23:00", "end", "2026-03-03T01:00", "project_id", project));
        JsonNode list = me.ok("list_time_entries", Map.of("from", "2026-03-01", "to", "2026-03-08"));
        JsonNode byDay = me.ok("summary_report", Map.of("from", "2026-03-01", "to", "2026-03-08", "group_by", "day"));
        me.ok("submit_timesheet", Map.of("week", "2026-03-02"));
        String memberId = me.ok("get_workspace_context", Map.of())
                .get("user")
                .get("member_id")
                .asString();
        JsonNode pending = boss.ok("approve_timesheet", Map.of("member_id", memberId, "week", "2026-03-02"));
        JsonNode approved = boss.ok(
                "approve_timesheet",
                Map.of(
                        "member_id",
                        memberId,
                        "week",
                        "2026-03-02",
                        "confirmation_token",
                        pending.get("confirmation_token").asString()));
        String locked = me.refusal(
                "update_time_entry", Map.of("entry_id", entry.get("id").asString(), "description", "changed"));

        assertThat(started.get("running").asBoolean()).isTrue();
        assertThat(refused).contains("already running").contains("Coding");
        assertThat(stopped.get("entry").get("rate_minor").asLong()).isEqualTo(10000);
        assertThat(entry.get("duration_minutes").asLong()).isEqualTo(120);
        assertThat(list.get("entries").size()).isEqualTo(1);
        assertThat(byDay.get("groups").size()).isEqualTo(2);
        assertThat(byDay.get("groups").get(0).get("tracked_minutes").asLong()).isEqualTo(60);
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(locked).contains("approved");
    }
}
