package com.timether.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.Confirmed;
import com.timether.testing.McpCall;
import com.timether.testing.ReportingRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The workspace clock as an assistant meets it through /mcp: entries across daylight-saving changes and
 * midnights cut into workspace days by summary_report, get_timesheet and weekly_report; the week start moving
 * entries between weeks; a late UTC instant that is already tomorrow in the workspace.
 */
class WorkspaceClockOverMcpTest {
    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private final User member = TestData.member(app, workspace, Role.MEMBER);
    private final User manager = TestData.member(app, workspace, Role.MANAGER);
    private final UUID memberId = ReportingRows.memberId(member.id(), workspace.id());

    @Test
    void springForward_berlin_entryAcrossTheChangeAndA23HourDay() {
        McpCall me = connect(member);
        McpCall boss = connect(manager);
        JsonNode across = entry(me, "2026-03-28T22:00", "2026-03-29T05:00");
        JsonNode wholeDay = entry(boss, "2026-03-29T00:00", "2026-03-30T00:00");

        Map<String, Long> mine = minutesByDay(me, "2026-03-27", "2026-03-31");
        Map<String, Long> everyone = minutesByDay(boss, "2026-03-27", "2026-03-31");
        List<Long> sheet = dayMinutes(me.ok("get_timesheet", Map.of("week", "2026-03-29")));
        List<Long> bossSheet = dayMinutes(boss.ok("get_timesheet", Map.of("week", "2026-03-29")));

        assertThat(across.get("duration_minutes").asLong()).isEqualTo(360);
        assertThat(wholeDay.get("duration_minutes").asLong()).isEqualTo(23 * 60);
        assertThat(mine).containsExactly(Map.entry("2026-03-28", 120L), Map.entry("2026-03-29", 240L));
        assertThat(everyone).containsExactly(Map.entry("2026-03-28", 120L), Map.entry("2026-03-29", 240L + 1380L));
        assertThat(sheet).containsExactly(0L, 0L, 0L, 0L, 0L, 120L, 240L);
        assertThat(bossSheet).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1380L);
    }

    @Test
    void fallBack_berlin_entryAcrossTheChangeAndA25HourDay() {
        McpCall me = connect(member);
        McpCall boss = connect(manager);
        JsonNode across = entry(me, "2026-10-24T22:00", "2026-10-25T05:00");
        JsonNode morning = entry(boss, "2026-10-25T00:00", "2026-10-25T12:00");
        JsonNode rest = entry(boss, "2026-10-25T12:00", "2026-10-26T00:00");

        Map<String, Long> mine = minutesByDay(me, "2026-10-24", "2026-10-26");
        JsonNode bossSheet = boss.ok("get_timesheet", Map.of("week", "2026-10-25"));
        JsonNode weekly = boss.ok("weekly_report", Map.of("week", "2026-10-25"));

        assertThat(across.get("duration_minutes").asLong()).isEqualTo(480);
        assertThat(morning.get("duration_minutes").asLong()).isEqualTo(780);
        assertThat(rest.get("duration_minutes").asLong()).isEqualTo(720);
        assertThat(mine).containsExactly(Map.entry("2026-10-24", 120L), Map.entry("2026-10-25", 360L));
        assertThat(dayMinutes(bossSheet)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 25 * 60L);
        assertThat(bossSheet.get("total_minutes").asLong()).isEqualTo(1500);
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        weekly.get("rows").forEach(r -> rows.put(r.get("member_id").asString(), r));
        assertThat(rows.get(memberId.toString()).get("days").get("2026-10-24").asLong())
                .isEqualTo(120);
        assertThat(rows.get(memberId.toString()).get("days").get("2026-10-25").asLong())
                .isEqualTo(360);
    }

    @Test
    void daylightSaving_newYork_23And25HourDays() {
        ReportingRows.clock(workspace.id(), "America/New_York", 1);
        McpCall me = connect(member);
        entry(me, "2026-03-08T00:00", "2026-03-09T00:00");
        entry(me, "2026-11-01T00:00", "2026-11-01T12:00");
        entry(me, "2026-11-01T12:00", "2026-11-02T00:00");

        Map<String, Long> spring = minutesByDay(me, "2026-03-07", "2026-03-09");
        Map<String, Long> autumn = minutesByDay(me, "2026-10-31", "2026-11-02");
        JsonNode report = me.ok("summary_report", Map.of("from", "2026-03-07", "to", "2026-03-09"));

        assertThat(spring).containsExactly(Map.entry("2026-03-08", 23 * 60L));
        assertThat(autumn).containsExactly(Map.entry("2026-11-01", 25 * 60L));
        assertThat(report.get("time_zone").asString()).isEqualTo("America/New_York");
    }

    @Test
    void entryAcrossMidnight_splitOverTwoDaysInSummaryTimesheetAndWeekly() {
        McpCall me = connect(member);
        JsonNode entry = entry(me, "2026-03-03T23:00", "2026-03-04T01:30");
        JsonNode intoNextWeek = entry(me, "2026-03-08T23:00", "2026-03-09T01:00");

        Map<String, Long> byDay = minutesByDay(me, "2026-03-01", "2026-03-15");
        JsonNode sheet = me.ok("get_timesheet", Map.of("week", "2026-03-03"));
        JsonNode nextSheet = me.ok("get_timesheet", Map.of("week", "2026-03-09"));
        JsonNode weekly = me.ok("weekly_report", Map.of("week", "2026-03-03"));
        Map<String, Long> byWeek =
                minutes(me.ok("summary_report", Map.of("from", "2026-03-01", "to", "2026-03-15", "group_by", "week")));

        assertThat(entry.get("duration_minutes").asLong()).isEqualTo(150);
        assertThat(intoNextWeek.get("duration_minutes").asLong()).isEqualTo(120);
        assertThat(byDay)
                .containsExactly(
                        Map.entry("2026-03-03", 60L),
                        Map.entry("2026-03-04", 90L),
                        Map.entry("2026-03-08", 60L),
                        Map.entry("2026-03-09", 60L));
        assertThat(dayMinutes(sheet)).containsExactly(0L, 60L, 90L, 0L, 0L, 0L, 60L);
        assertThat(sheet.get("total_minutes").asLong()).isEqualTo(210);
        assertThat(dayMinutes(nextSheet)).containsExactly(60L, 0L, 0L, 0L, 0L, 0L, 0L);
        JsonNode row = weekly.get("rows").get(0);
        assertThat(row.get("days").get("2026-03-03").asLong()).isEqualTo(60);
        assertThat(row.get("days").get("2026-03-04").asLong()).isEqualTo(90);
        assertThat(row.get("total_minutes").asLong()).isEqualTo(210);
        assertThat(byWeek).containsExactly(Map.entry("2026-03-02", 210L), Map.entry("2026-03-09", 60L));
    }

    @Test
    void weekStartSunday_movesSundayIntoTheNextWeekForReportsTimesheetsAndLocks() {
        McpCall me = connect(member);
        McpCall boss = connect(manager);
        String saturday =
                entry(me, "2026-03-07T10:00", "2026-03-07T11:00").get("id").asString();
        String sunday =
                entry(me, "2026-03-08T10:00", "2026-03-08T11:30").get("id").asString();
        Map<String, Long> mondayWeeks =
                minutes(me.ok("summary_report", Map.of("from", "2026-03-01", "to", "2026-03-14", "group_by", "week")));
        ReportingRows.clock(workspace.id(), "Europe/Berlin", 7);

        Map<String, Long> sundayWeeks =
                minutes(me.ok("summary_report", Map.of("from", "2026-03-01", "to", "2026-03-14", "group_by", "week")));
        JsonNode sundaySheet = me.ok("get_timesheet", Map.of("week", "2026-03-08"));
        JsonNode saturdaySheet = me.ok("get_timesheet", Map.of("week", "2026-03-07"));
        String weekStart = me.ok("get_workspace_context", Map.of())
                .get("workspace")
                .get("week_start")
                .asString();
        me.ok("submit_timesheet", Map.of("week", "2026-03-10"));
        Confirmed.call(boss, "approve_timesheet", Map.of("member_id", memberId.toString(), "week", "2026-03-08"));
        String locked = me.refusal("update_time_entry", Map.of("entry_id", sunday, "description", "late"));
        JsonNode open = me.ok("update_time_entry", Map.of("entry_id", saturday, "description", "still open"));

        assertThat(mondayWeeks).containsExactly(Map.entry("2026-03-02", 150L));
        assertThat(weekStart).isEqualTo("sunday");
        assertThat(sundayWeeks).containsExactly(Map.entry("2026-03-01", 60L), Map.entry("2026-03-08", 90L));
        assertThat(sundaySheet.get("week_start").asString()).isEqualTo("2026-03-08");
        assertThat(sundaySheet.get("week_end").asString()).isEqualTo("2026-03-14");
        assertThat(dayMinutes(sundaySheet)).containsExactly(90L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(saturdaySheet.get("week_start").asString()).isEqualTo("2026-03-01");
        assertThat(dayMinutes(saturdaySheet)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 60L);
        assertThat(locked).contains("Time on 2026-03-08 is locked: the timesheet of the week of 2026-03-08");
        assertThat(open.get("description").asString()).isEqualTo("still open");
    }

    @Test
    void entryAt2330Utc_isTheNextDayAndWeekInBerlin() {
        McpCall me = connect(member);
        McpCall boss = connect(manager);
        String late = entry(me, "2026-03-08T23:30:00Z", "2026-03-09T00:30:00Z")
                .get("id")
                .asString();

        Map<String, Long> byDay = minutesByDay(me, "2026-03-01", "2026-03-15");
        JsonNode monday = me.ok("get_timesheet", Map.of("week", "2026-03-09"));
        JsonNode sunday = me.ok("get_timesheet", Map.of("week", "2026-03-08"));
        int onMonday = me.ok("list_time_entries", Map.of("from", "2026-03-09", "to", "2026-03-09"))
                .get("entries")
                .size();
        int onSunday = me.ok("list_time_entries", Map.of("from", "2026-03-08", "to", "2026-03-08"))
                .get("entries")
                .size();
        me.ok("submit_timesheet", Map.of("week", "2026-03-09"));
        Confirmed.call(boss, "approve_timesheet", Map.of("member_id", memberId.toString(), "week", "2026-03-09"));
        String locked = me.refusal("update_time_entry", Map.of("entry_id", late, "description", "x"));

        assertThat(byDay).containsExactly(Map.entry("2026-03-09", 60L));
        assertThat(dayMinutes(monday)).containsExactly(60L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(sunday.get("total_minutes").asLong()).isZero();
        assertThat(onMonday).isEqualTo(1);
        assertThat(onSunday).isZero();
        assertThat(locked).startsWith("Time on 2026-03-09 is locked: the timesheet of the week of 2026-03-09");
    }

    @Test
    void entryAt2330Utc_newYork_isStillTheSameDay() {
        ReportingRows.clock(workspace.id(), "America/New_York", 1);
        McpCall me = connect(member);
        entry(me, "2026-03-08T23:30:00Z", "2026-03-09T00:30:00Z");

        Map<String, Long> byDay = minutesByDay(me, "2026-03-01", "2026-03-15");
        JsonNode sheet = me.ok("get_timesheet", Map.of("week", "2026-03-08"));

        assertThat(byDay).containsExactly(Map.entry("2026-03-08", 60L));
        assertThat(sheet.get("week_start").asString()).isEqualTo("2026-03-02");
        assertThat(dayMinutes(sheet)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 60L);
    }

    private McpCall connect(User user) {
        return McpCall.connect(user.email(), workspace.id(), "timether:write");
    }

    private static JsonNode entry(McpCall mcp, String start, String end) {
        return mcp.ok("create_time_entry", Map.of("start", start, "end", end));
    }

    private static Map<String, Long> minutesByDay(McpCall mcp, String from, String to) {
        return minutes(mcp.ok("summary_report", Map.of("from", from, "to", to, "group_by", "day")));
    }

    private static Map<String, Long> minutes(JsonNode report) {
        Map<String, Long> minutes = new LinkedHashMap<>();
        report.get("groups")
                .forEach(g -> minutes.put(
                        g.get("key").asString(), g.get("tracked_minutes").asLong()));
        return minutes;
    }

    private static List<Long> dayMinutes(JsonNode sheet) {
        List<Long> minutes = new ArrayList<>();
        sheet.get("days").forEach(day -> minutes.add(day.get("minutes").asLong()));
        return minutes;
    }
}
