package com.timether.mcp.tools.report;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import com.timether.tracking.WorkspaceClock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Reports: summary by dimension, the weekly grid, project budgets and uninvoiced work. */
public final class ReportTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement TEAM = Requirement.of(Scope.READ, Role.MANAGER);
    static final int MAX_DAYS = 732;

    private ReportTools() {}

    /** The tools of this area. */
    public static List<Tool> all() {
        return List.of(
                Tool.read(
                        "summary_report",
                        "Summarise time",
                        "Sums tracked and billable minutes and billable amounts (per currency) between from and to"
                                + " (dates, inclusive, workspace time zone), grouped by project, client, member, tag,"
                                + " day or week. Days and weeks are cut in the workspace time zone; entries crossing"
                                + " midnight count on both days. Members see only their own time.",
                        READ,
                        Schema.object()
                                .required("from", Schema.string("First day, such as 2026-03-01", 10))
                                .required("to", Schema.string("Last day, inclusive", 10))
                                .optional(
                                        "group_by",
                                        Schema.oneOf(
                                                "Dimension (default project)",
                                                List.of("project", "client", "member", "tag", "day", "week")))
                                .optionalId("member_id", Entity.MEMBER, "Only this member (managers+)")
                                .optionalId("project_id", Entity.PROJECT, "Only this project")
                                .optionalId("client_id", Entity.CLIENT, "Only this client")
                                .optional("billable", Schema.bool("Only billable or only non-billable time")),
                        Summaries.schema(),
                        ReportTools::summary),
                Tool.read(
                        "weekly_report",
                        "Weekly report",
                        "Minutes per member and day for one week (any date in it; default this week), cut in the"
                                + " workspace time zone. Members see only their own row.",
                        READ,
                        Schema.object().optional("week", Schema.string("Any day of the week", 10)),
                        Summaries.weeklySchema(),
                        Summaries::weekly),
                Tool.read(
                        "project_budget_report",
                        "Project budgets",
                        "For every project with a budget: budget, tracked minutes and billable amount to date, and"
                                + " the share of the budget used. Budgets and billable_amount_minor are in the"
                                + " workspace currency; billable_amounts lists the billable amount per currency.",
                        TEAM,
                        Schema.object(),
                        Summaries.budgetSchema(),
                        Summaries::budgets),
                Tool.read(
                        "uninvoiced_report",
                        "Uninvoiced work",
                        "Per client: billable time and billable expenses not yet on any invoice, with amounts per"
                                + " currency.",
                        TEAM,
                        Schema.object(),
                        Summaries.uninvoicedSchema(),
                        Summaries::uninvoiced));
    }

    private static Map<String, Object> summary(ToolCall call) {
        LocalDate from = WorkspaceClock.date("from", call.args().text("from", 10));
        LocalDate to = WorkspaceClock.date("to", call.args().text("to", 10));
        if (to.isBefore(from)) {
            throw DomainException.invalid("to (" + to + ") must not be before from (" + from + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw DomainException.invalid("a report spans at most " + MAX_DAYS + " days; narrow from and to");
        }
        String groupBy = call.args().optionalText("group_by", 10).orElse("project");
        if (!List.of("project", "client", "member", "tag", "day", "week").contains(groupBy)) {
            throw DomainException.invalid(
                    "group_by must be project, client, member, tag, day or week, got '" + groupBy + "'");
        }
        return Summaries.summary(call, from, to, groupBy);
    }
}
