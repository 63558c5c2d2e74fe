package com.timether.mcp.tools.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.McpCall;
import com.timether.testing.ReportingRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reports through the real /mcp endpoint with real tokens. Every figure is computed by hand from the entries
 * {@link #seed()} records (workspace in Europe/Berlin, March 2026, all on whole minutes):
 *
 * <pre>
 * who      project   client  tags             local time               min  billable  rate   amount
 * member   Alpha     Acme    design           Fri 02-27 10:00-11:00     60  yes      12000  12000 EUR  (before)
 * member   Alpha     Acme    design           Mon 03-02 09:00-11:00    120  yes      12000  24000 EUR
 * member   Beta      Globex  design, meeting  Tue 03-03 10:00-10:45     45  yes       9000   6750 EUR
 * member   Internal  -       meeting          Tue 03-03 13:00-14:30     90  no        5000      0
 * manager  Alpha     Acme    -                Wed 03-04 08:00-09:20     80  yes      12000  16000 EUR
 * manager  Alpha     Acme    -                Tue 03-10 09:00-10:00     60  yes      12000  12000 EUR
 * manager  Beta      Globex  -                Tue 03-10 11:00-11:30     30  yes       9000   4500 USD  (USD now)
 * </pre>
 *
 * <p>The first entry lies before the reported period, so only the budget and uninvoiced reports count it.
 */
class ReportToolsTest {
    private static final Map<String, Object> PERIOD = Map.of("from", "2026-03-01", "to", "2026-03-15");

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private final User member = TestData.member(app, workspace, Role.MEMBER);
    private final User manager = TestData.member(app, workspace, Role.MANAGER);
    private final UUID memberId = ReportingRows.memberId(member.id(), workspace.id());
    private final UUID managerId = ReportingRows.memberId(manager.id(), workspace.id());
    private McpCall me;
    private McpCall boss;
    private final Map<String, String> ids = new HashMap<>();

    @BeforeEach
    void seed() {
        me = McpCall.connect(member.email(), workspace.id(), "timether:write");
        boss = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        ids.put(
                "acme",
                boss.ok("create_client", Map.of("name", "Acme")).get("id").asString());
        ids.put(
                "globex",
                boss.ok("create_client", Map.of("name", "Globex")).get("id").asString());
        ids.put("alpha", project("Alpha", "acme", true, 12000));
        ids.put("beta", project("Beta", "globex", true, 9000));
        ids.put("internal", project("Internal", null, false, 5000));
        ids.put(
                "design",
                boss.ok("create_tag", Map.of("name", "design")).get("id").asString());
        ids.put(
                "meeting",
                boss.ok("create_tag", Map.of("name", "meeting")).get("id").asString());
        ids.put("e0", track(me, "alpha", "2026-02-27T10:00", "2026-02-27T11:00", "design"));
        ids.put("e1", track(me, "alpha", "2026-03-02T09:00", "2026-03-02T11:00", "design"));
        ids.put("e2", track(me, "beta", "2026-03-03T10:00", "2026-03-03T10:45", "design", "meeting"));
        ids.put("e3", track(me, "internal", "2026-03-03T13:00", "2026-03-03T14:30", "meeting"));
        ids.put("e4", track(boss, "alpha", "2026-03-04T08:00", "2026-03-04T09:20"));
        ids.put("e5", track(boss, "alpha", "2026-03-10T09:00", "2026-03-10T10:00"));
        ReportingRows.currency(workspace.id(), "USD");
        ids.put("e6", track(boss, "beta", "2026-03-10T11:00", "2026-03-10T11:30"));
    }

    @Test
    void summaryReport_byProject_managerGetsEveryonesMinutesAndAmounts() {
        JsonNode report = boss.ok("summary_report", with(PERIOD, "group_by", "project"));

        Map<String, JsonNode> groups = byLabel(report);
        assertThat(report.get("time_zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(report.get("group_by").asString()).isEqualTo("project");
        assertThat(groups).containsOnlyKeys("Alpha", "Beta", "Internal");
        assertGroup(groups.get("Alpha"), 260, 260, Map.of("EUR", 52000L));
        assertGroup(groups.get("Beta"), 75, 75, Map.of("EUR", 6750L, "USD", 4500L));
        assertGroup(groups.get("Internal"), 90, 0, Map.of("EUR", 0L));
        assertThat(groups.get("Alpha").get("key").asString()).isEqualTo(ids.get("alpha"));
        assertGroup(report.get("totals"), 425, 335, Map.of("EUR", 58750L, "USD", 4500L));
    }

    @Test
    void summaryReport_byClient_timeWithoutClientUnderNone() {
        JsonNode report = boss.ok("summary_report", with(PERIOD, "group_by", "client"));

        Map<String, JsonNode> groups = byLabel(report);
        assertThat(groups).containsOnlyKeys("Acme", "Globex", "(none)");
        assertGroup(groups.get("Acme"), 260, 260, Map.of("EUR", 52000L));
        assertGroup(groups.get("Globex"), 75, 75, Map.of("EUR", 6750L, "USD", 4500L));
        assertGroup(groups.get("(none)"), 90, 0, Map.of("EUR", 0L));
        assertThat(groups.get("(none)").get("key").asString()).isEqualTo("none");
        assertGroup(report.get("totals"), 425, 335, Map.of("EUR", 58750L, "USD", 4500L));
    }

    @Test
    void summaryReport_byMember_onePerMember() {
        JsonNode report = boss.ok("summary_report", with(PERIOD, "group_by", "member"));

        Map<String, JsonNode> groups = byKey(report);
        assertThat(groups).containsOnlyKeys(memberId.toString(), managerId.toString());
        assertGroup(groups.get(memberId.toString()), 255, 165, Map.of("EUR", 30750L));
        assertGroup(groups.get(managerId.toString()), 170, 170, Map.of("EUR", 28000L, "USD", 4500L));
        assertThat(groups.get(memberId.toString()).get("label").asString()).isEqualTo(member.displayName());
    }

    @Test
    void summaryReport_byTag_entryUnderEachTagTotalsCountItOnce() {
        JsonNode report = boss.ok("summary_report", with(PERIOD, "group_by", "tag"));

        Map<String, JsonNode> groups = byLabel(report);
        assertThat(groups).containsOnlyKeys("design", "meeting", "(none)");
        assertGroup(groups.get("design"), 165, 165, Map.of("EUR", 30750L));
        assertGroup(groups.get("meeting"), 135, 45, Map.of("EUR", 6750L));
        assertGroup(groups.get("(none)"), 170, 170, Map.of("EUR", 28000L, "USD", 4500L));
        assertGroup(report.get("totals"), 425, 335, Map.of("EUR", 58750L, "USD", 4500L));
    }

    @Test
    void summaryReport_entriesCutByThePeriodsEnds_countOnlyTheMinutesInside() {
        track(boss, "internal", "2026-02-28T23:15", "2026-03-01T01:00");
        track(boss, "internal", "2026-03-15T23:00", "2026-03-16T00:30");
        track(boss, "internal", "2026-03-16T00:00", "2026-03-16T02:00");

        JsonNode report = boss.ok("summary_report", with(PERIOD, "group_by", "project"));
        JsonNode byDay = boss.ok("summary_report", with(PERIOD, "group_by", "day"));

        // 90 minutes of e3, 60 of the first entry (from midnight), 60 of the second (to midnight), none of the third;
        // the new entries are in USD, the workspace's currency since the seed changed it.
        assertGroup(byLabel(report).get("Internal"), 210, 0, Map.of("EUR", 0L, "USD", 0L));
        assertGroup(byKey(byDay).get("2026-03-01"), 60, 0, Map.of("USD", 0L));
        assertGroup(byKey(byDay).get("2026-03-15"), 60, 0, Map.of("USD", 0L));
        assertGroup(report.get("totals"), 545, 335, Map.of("EUR", 58750L, "USD", 4500L));
    }

    @Test
    void summaryReport_byDayAndWeek_cutInWorkspaceDays() {
        JsonNode byDay = boss.ok("summary_report", with(PERIOD, "group_by", "day"));
        JsonNode byWeek = boss.ok("summary_report", with(PERIOD, "group_by", "week"));

        Map<String, JsonNode> days = byKey(byDay);
        assertThat(days).containsOnlyKeys("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10");
        assertGroup(days.get("2026-03-02"), 120, 120, Map.of("EUR", 24000L));
        assertGroup(days.get("2026-03-03"), 135, 45, Map.of("EUR", 6750L));
        assertGroup(days.get("2026-03-04"), 80, 80, Map.of("EUR", 16000L));
        assertGroup(days.get("2026-03-10"), 90, 90, Map.of("EUR", 12000L, "USD", 4500L));
        assertThat(days.get("2026-03-02").get("label").asString()).isEqualTo("2026-03-02");
        Map<String, JsonNode> weeks = byKey(byWeek);
        assertThat(weeks).containsOnlyKeys("2026-03-02", "2026-03-09");
        assertGroup(weeks.get("2026-03-02"), 335, 245, Map.of("EUR", 46750L));
        assertGroup(weeks.get("2026-03-09"), 90, 90, Map.of("EUR", 12000L, "USD", 4500L));
        assertGroup(byWeek.get("totals"), 425, 335, Map.of("EUR", 58750L, "USD", 4500L));
    }

    @Test
    void summaryReport_member_coversOnlyTheirOwnTime() {
        McpCall reader = McpCall.connect(member.email(), workspace.id(), "timether:read");

        JsonNode report = reader.ok("summary_report", PERIOD);
        JsonNode byMember = me.ok("summary_report", with(PERIOD, "group_by", "member"));
        JsonNode ownId = me.ok("summary_report", with(PERIOD, "member_id", memberId.toString()));
        String other = me.refusal("summary_report", with(PERIOD, "member_id", managerId.toString()));

        Map<String, JsonNode> groups = byLabel(report);
        assertThat(groups).containsOnlyKeys("Alpha", "Beta", "Internal");
        assertGroup(groups.get("Alpha"), 120, 120, Map.of("EUR", 24000L));
        assertGroup(groups.get("Beta"), 45, 45, Map.of("EUR", 6750L));
        assertGroup(report.get("totals"), 255, 165, Map.of("EUR", 30750L));
        assertThat(byKey(byMember)).containsOnlyKeys(memberId.toString());
        assertGroup(ownId.get("totals"), 255, 165, Map.of("EUR", 30750L));
        assertThat(other).isEqualTo("Members see only their own time; leave member_id out");
    }

    @Test
    void summaryReport_adminAndManagerWithFilters_seeEveryoneNarrowedAsAsked() {
        User admin = TestData.member(app, workspace, Role.ADMIN);
        McpCall adminReader = McpCall.connect(admin.email(), workspace.id(), "timether:read");

        JsonNode all = adminReader.ok("summary_report", PERIOD);
        JsonNode oneMember = boss.ok("summary_report", with(PERIOD, "member_id", memberId.toString()));
        JsonNode beta = boss.ok("summary_report", with(PERIOD, "project_id", ids.get("beta")));
        JsonNode acme = boss.ok("summary_report", with(PERIOD, "client_id", ids.get("acme")));
        JsonNode nonBillable = boss.ok("summary_report", with(PERIOD, "billable", false));

        assertGroup(all.get("totals"), 425, 335, Map.of("EUR", 58750L, "USD", 4500L));
        assertGroup(oneMember.get("totals"), 255, 165, Map.of("EUR", 30750L));
        assertThat(byLabel(beta)).containsOnlyKeys("Beta");
        assertGroup(beta.get("totals"), 75, 75, Map.of("EUR", 6750L, "USD", 4500L));
        assertGroup(acme.get("totals"), 260, 260, Map.of("EUR", 52000L));
        assertThat(byLabel(nonBillable)).containsOnlyKeys("Internal");
        assertThat(nonBillable.get("totals").get("tracked_minutes").asLong()).isEqualTo(90);
    }

    @Test
    void summaryReport_badPeriodOrGrouping_refusedSayingWhatToChange() {
        String backwards = boss.refusal("summary_report", Map.of("from", "2026-03-05", "to", "2026-03-01"));
        String tooLong = boss.refusal("summary_report", Map.of("from", "2024-01-01", "to", "2026-01-02"));
        JsonNode longest = boss.ok("summary_report", Map.of("from", "2024-01-01", "to", "2026-01-01"));
        String badGroup = boss.refusal("summary_report", with(PERIOD, "group_by", "hour"));
        String badDate = boss.refusal("summary_report", Map.of("from", "2026-02-30", "to", "2026-03-01"));

        assertThat(backwards).isEqualTo("to (2026-03-01) must not be before from (2026-03-05)");
        assertThat(tooLong).isEqualTo("a report spans at most 732 days; narrow from and to");
        assertThat(longest.get("totals").get("tracked_minutes").asLong()).isZero();
        assertThat(badGroup)
                .startsWith("Tool (summary_report) input validation failed")
                .contains("/group_by: does not have a value in the enumeration")
                .contains("\"project\", \"client\", \"member\", \"tag\", \"day\", \"week\"");
        assertThat(badDate).isEqualTo("from must be a date such as 2026-03-02, got '2026-02-30'");
    }

    @Test
    void weeklyReport_memberOwnRowManagerEveryRow() {
        JsonNode mine = me.ok("weekly_report", Map.of("week", "2026-03-04"));
        JsonNode team = boss.ok("weekly_report", Map.of("week", "2026-03-08"));

        assertThat(mine.get("week_start").asString()).isEqualTo("2026-03-02");
        assertThat(mine.get("rows").size()).isEqualTo(1);
        JsonNode myRow = mine.get("rows").get(0);
        assertThat(myRow.get("member_id").asString()).isEqualTo(memberId.toString());
        assertThat(myRow.get("days").properties().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().asLong())
                        .toList())
                .containsExactly(
                        "2026-03-02=120",
                        "2026-03-03=135",
                        "2026-03-04=0",
                        "2026-03-05=0",
                        "2026-03-06=0",
                        "2026-03-07=0",
                        "2026-03-08=0");
        assertThat(myRow.get("total_minutes").asLong()).isEqualTo(255);
        Map<String, JsonNode> rows = new HashMap<>();
        team.get("rows").forEach(row -> rows.put(row.get("member_id").asString(), row));
        assertThat(rows).containsOnlyKeys(memberId.toString(), managerId.toString());
        assertThat(rows.get(managerId.toString()).get("days").get("2026-03-04").asLong())
                .isEqualTo(80);
        assertThat(rows.get(managerId.toString()).get("total_minutes").asLong()).isEqualTo(80);
    }

    @Test
    void projectBudgetReport_manager_usageToDate() {
        boss.ok("update_project", Map.of("project_id", ids.get("alpha"), "budget_minutes", 600));
        boss.ok("update_project", Map.of("project_id", ids.get("alpha"), "budget_amount_minor", 100000));
        ReportingRows.currency(workspace.id(), "EUR");

        JsonNode report = boss.ok("project_budget_report", Map.of());

        assertThat(report.get("projects").size()).isEqualTo(1);
        JsonNode alpha = report.get("projects").get(0);
        assertThat(alpha.get("project_id").asString()).isEqualTo(ids.get("alpha"));
        assertThat(alpha.get("budget_minutes").asLong()).isEqualTo(600);
        assertThat(alpha.get("tracked_minutes").asLong()).isEqualTo(320);
        assertThat(alpha.get("minutes_used_percent").asLong()).isEqualTo(53);
        assertThat(alpha.get("budget_amount_minor").asLong()).isEqualTo(100000);
        assertThat(alpha.get("billable_amount_minor").asLong()).isEqualTo(64000);
        assertThat(alpha.get("amount_used_percent").asLong()).isEqualTo(64);
        assertThat(report.get("currency").asString()).isEqualTo("EUR");
    }

    @Test
    void projectBudgetReport_timeInTwoCurrencies_onlyTheBudgetCurrencyCountsAgainstIt() {
        boss.ok("update_project", Map.of("project_id", ids.get("beta"), "budget_amount_minor", 20000));
        ReportingRows.currency(workspace.id(), "EUR");

        JsonNode report = boss.ok("project_budget_report", Map.of());

        assertThat(report.get("currency").asString()).isEqualTo("EUR");
        JsonNode beta = report.get("projects").get(0);
        assertThat(beta.get("project_name").asString()).isEqualTo("Beta");
        assertThat(beta.get("tracked_minutes").asLong()).isEqualTo(75);
        assertThat(beta.get("budget_minutes").isNull()).isTrue();
        assertThat(beta.get("minutes_used_percent").isNull()).isTrue();
        assertThat(beta.get("billable_amount_minor").asLong()).isEqualTo(6750);
        assertThat(beta.get("amount_used_percent").asLong()).isEqualTo(33);
        Map<String, Long> amounts = new HashMap<>();
        beta.get("billable_amounts")
                .forEach(a -> amounts.put(
                        a.get("currency").asString(), a.get("amount_minor").asLong()));
        assertThat(amounts).containsOnly(entry("EUR", 6750L), entry("USD", 4500L));
    }

    @Test
    void teamReports_adminOnReadOnlyConnection_seeEveryone() {
        User admin = TestData.member(app, workspace, Role.ADMIN);
        McpCall reader = McpCall.connect(admin.email(), workspace.id(), "timether:read");
        boss.ok("update_project", Map.of("project_id", ids.get("alpha"), "budget_minutes", 600));

        JsonNode weekly = reader.ok("weekly_report", Map.of("week", "2026-03-02"));
        JsonNode budgets = reader.ok("project_budget_report", Map.of());
        JsonNode uninvoiced = reader.ok("uninvoiced_report", Map.of());

        List<String> members = new ArrayList<>();
        weekly.get("rows").forEach(r -> members.add(r.get("member_id").asString()));
        assertThat(members).containsExactlyInAnyOrder(memberId.toString(), managerId.toString());
        assertThat(budgets.get("projects").get(0).get("tracked_minutes").asLong())
                .isEqualTo(320);
        assertThat(uninvoiced.get("clients").size()).isEqualTo(3);
    }

    @Test
    void managerReports_member_absentFromListAndRefused() {
        List<String> tools = new ArrayList<>();
        me.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> tools.add(t.get("name").asString()));

        String budget = me.refusal("project_budget_report", Map.of());
        String uninvoiced = me.refusal("uninvoiced_report", Map.of());

        assertThat(tools)
                .contains("summary_report", "weekly_report")
                .doesNotContain("project_budget_report", "uninvoiced_report");
        assertThat(budget)
                .isEqualTo("project_budget_report is not available to this connection: This needs the manager"
                        + " role or above; you are member.");
        assertThat(uninvoiced).endsWith("This needs the manager role or above; you are member.");
    }

    @Test
    void uninvoicedReport_manager_billableTimeAndExpensesPerClientAndCurrency() {
        UUID acme = UUID.fromString(ids.get("acme"));
        ReportingRows.draftInvoice(workspace.id(), acme, "EUR", UUID.fromString(ids.get("e5")));
        ReportingRows.expense(workspace.id(), memberId, UUID.fromString(ids.get("alpha")), "EUR", 2500, true);
        ReportingRows.expense(workspace.id(), memberId, UUID.fromString(ids.get("alpha")), "EUR", 999, false);
        McpCall reader = McpCall.connect(manager.email(), workspace.id(), "timether:read");

        JsonNode report = reader.ok("uninvoiced_report", Map.of());

        Map<String, String> rows = new LinkedHashMap<>();
        report.get("clients")
                .forEach(row -> rows.put(
                        row.get("client_name").asString() + " "
                                + row.get("currency").asString(),
                        row.get("billable_minutes").asLong() + " min, time "
                                + row.get("time_amount_minor").asLong() + ", expenses "
                                + row.get("expense_amount_minor").asLong()));
        assertThat(rows)
                .containsExactly(
                        entry("Acme EUR", "260 min, time 52000, expenses 2500"),
                        entry("Globex EUR", "45 min, time 6750, expenses 0"),
                        entry("Globex USD", "30 min, time 4500, expenses 0"));
    }

    private String project(String name, String client, boolean isBillable, long rate) {
        Map<String, Object> args = new HashMap<>(Map.of("name", name, "billable", isBillable, "rate_minor", rate));
        if (client != null) {
            args.put("client_id", ids.get(client));
        }
        return boss.ok("create_project", args).get("id").asString();
    }

    private String track(McpCall mcp, String project, String start, String end, String... tags) {
        Map<String, Object> args = new HashMap<>(Map.of("project_id", ids.get(project), "start", start, "end", end));
        if (tags.length > 0) {
            args.put("tag_ids", java.util.Arrays.stream(tags).map(ids::get).toList());
        }
        return mcp.ok("create_time_entry", args).get("id").asString();
    }

    private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
        Map<String, Object> args = new HashMap<>(base);
        args.put(name, value);
        return args;
    }

    private static Map<String, JsonNode> byLabel(JsonNode report) {
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        report.get("groups").forEach(g -> groups.put(g.get("label").asString(), g));
        return groups;
    }

    private static Map<String, JsonNode> byKey(JsonNode report) {
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        report.get("groups").forEach(g -> groups.put(g.get("key").asString(), g));
        return groups;
    }

    private static void assertGroup(JsonNode group, long tracked, long billable, Map<String, Long> amounts) {
        Map<String, Long> actual = new HashMap<>();
        group.get("billable_amounts")
                .forEach(a -> actual.put(
                        a.get("currency").asString(), a.get("amount_minor").asLong()));
        assertThat(group.get("tracked_minutes").asLong())
                .as("tracked minutes of %s", group)
                .isEqualTo(tracked);
        assertThat(group.get("billable_minutes").asLong())
                .as("billable minutes of %s", group)
                .isEqualTo(billable);
        assertThat(actual).as("amounts of %s", group).isEqualTo(amounts);
    }
}
