package com.timether.mcp.tools.timesheet;

import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.ToolCall;
import com.timether.mcp.tools.entry.Entries;
import com.timether.platform.error.DomainException;
import com.timether.tracking.WorkspaceClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading timesheets: a member's week cut into workspace days, the team's week, and notifications. */
final class Timesheets {
    /** A week rarely holds this many entries; more are left to list_time_entries, and the result says so. */
    static final int MAX_ENTRIES = 500;

    private Timesheets() {}

    static String status(ToolCall call, UUID member, LocalDate week) {
        return status(call, member, week, "");
    }

    /**
     * The status, with the week's row locked until the transaction ends: of two decisions on one week arriving at
     * once, the second waits and then sees the first one's outcome, so both cannot pass the transition check.
     */
    static String lockedStatus(ToolCall call, UUID member, LocalDate week) {
        return status(call, member, week, " FOR UPDATE");
    }

    private static String status(ToolCall call, UUID member, LocalDate week, String lock) {
        return call.handle()
                .createQuery("SELECT status FROM timesheets WHERE workspace_id = :ws"
                        + " AND membership_id = :member AND week_start = :week" + lock)
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("week", week)
                .mapTo(String.class)
                .findOne()
                .orElse("open");
    }

    static String memberName(ToolCall call, UUID member) {
        return call.handle()
                .createQuery("SELECT u.display_name FROM memberships m JOIN users u ON u.id = m.user_id"
                        + " WHERE m.workspace_id = :ws AND m.id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", member)
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No member with id " + member + " in this workspace"));
    }

    /** One member's week: status, minutes per workspace day (entries crossing midnight split there), entries. */
    static Map<String, Object> view(ToolCall call, UUID member, LocalDate week) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        Instant from = clock.startOf(week);
        Instant to = clock.startOf(week.plusDays(7));
        List<Entries.Row> entries = call.handle()
                .createQuery(entriesSql())
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("from", from)
                .bind("to", to)
                .bind("limit", MAX_ENTRIES + 1)
                .map((rs, ctx) -> Entries.findRow(rs))
                .list();
        List<Map<String, Object>> days = new ArrayList<>();
        long total = 0;
        long billable = 0;
        for (int i = 0; i < 7; i++) {
            LocalDate day = week.plusDays(i);
            long seconds = 0;
            for (Entries.Row e : entries) {
                long overlap = overlapSeconds(e, clock.startOf(day), clock.startOf(day.plusDays(1)));
                seconds += overlap;
                billable += e.isBillable() ? overlap : 0;
            }
            total += seconds;
            days.add(Map.of("date", day.toString(), "minutes", seconds / 60));
        }
        var status = call.handle()
                .createQuery("SELECT status, rejection_reason FROM timesheets WHERE workspace_id = :ws"
                        + " AND membership_id = :member AND week_start = :week")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("week", week)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne()
                .orElse(new String[] {"open", null});
        boolean isTruncated = entries.size() > MAX_ENTRIES;
        return TimesheetTools.linked(
                "member_id",
                member.toString(),
                "member_name",
                memberName(call, member),
                "week_start",
                week.toString(),
                "week_end",
                week.plusDays(6).toString(),
                "status",
                status[0],
                "rejection_reason",
                status[1],
                "days",
                days,
                "total_minutes",
                total / 60,
                "billable_minutes",
                billable / 60,
                "entries",
                (isTruncated ? entries.subList(0, MAX_ENTRIES) : entries)
                        .stream().map(Entries.Row::view).toList(),
                "entries_complete",
                !isTruncated);
    }

    /** Every active member's status and total for the week. */
    static Map<String, Object> team(ToolCall call, LocalDate week) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        List<Map<String, Object>> rows = call.handle()
                .createQuery("SELECT m.id, u.display_name,"
                        + " coalesce(t.status, 'open') AS status, coalesce((SELECT sum(extract(epoch FROM"
                        + " least(e.ended_at, :to) - greatest(e.started_at, :from)))::bigint / 60 FROM time_entries e"
                        + " WHERE e.workspace_id = m.workspace_id AND e.membership_id = m.id"
                        + " AND e.started_at < :to AND e.ended_at > :from), 0) AS minutes"
                        + " FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN timesheets t"
                        + " ON t.workspace_id = m.workspace_id AND t.membership_id = m.id AND t.week_start = :week"
                        + " WHERE m.workspace_id = :ws AND m.status = 'active' ORDER BY lower(u.display_name), m.id")
                .bind("ws", call.workspaceId())
                .bind("week", week)
                .bind("from", clock.startOf(week))
                .bind("to", clock.startOf(week.plusDays(7)))
                .map((rs, ctx) -> TimesheetTools.linked(
                        "member_id", rs.getObject("id", UUID.class).toString(),
                        "member_name", rs.getString("display_name"),
                        "status", rs.getString("status"),
                        "total_minutes", rs.getLong("minutes")))
                .list();
        return TimesheetTools.linked("week_start", week.toString(), "timesheets", rows);
    }

    /** Tells the member, in the app and (unless they opted out) by email through the outbox. */
    static void notifyMember(ToolCall call, UUID member, LocalDate week, String status, String reason) {
        String message = "Your timesheet for the week of " + week + " is now " + status
                + (reason == null ? "" : ": " + reason) + ".";
        call.handle()
                .createUpdate("INSERT INTO notifications (workspace_id, user_id, kind, message)"
                        + " SELECT :ws, m.user_id, :kind, :message FROM memberships m WHERE m.id = :member")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("kind", "timesheet." + status)
                .bind("message", message)
                .execute();
        call.handle()
                .createUpdate("INSERT INTO outbox_emails (to_address, subject, body)"
                        + " SELECT u.email, :subject, :message FROM memberships m JOIN users u ON u.id = m.user_id"
                        + " LEFT JOIN email_preferences p ON p.user_id = u.id AND p.workspace_id = m.workspace_id"
                        + " WHERE m.id = :member AND coalesce(p.approval_updates, true)")
                .bind("member", member)
                .bind("subject", "Timesheet " + status)
                .bind("message", message)
                .execute();
    }

    private static long overlapSeconds(Entries.Row e, Instant from, Instant to) {
        Instant start = e.start().isAfter(from) ? e.start() : from;
        Instant end = e.end().isBefore(to) ? e.end() : to;
        return end.isAfter(start) ? Duration.between(start, end).toSeconds() : 0;
    }

    private static String entriesSql() {
        return Entries.selectSql() + " WHERE e.workspace_id = :ws AND e.membership_id = :member"
                + " AND e.started_at < :to AND e.ended_at > :from ORDER BY e.started_at, e.id LIMIT :limit";
    }

    static Map<String, Object> viewSchema() {
        Map<String, Object> day = Schema.object()
                .required("date", Schema.string("Day", 10))
                .required("minutes", Schema.number("Minutes worked that day"))
                .toMap();
        return Schema.object()
                .required("member_id", Schema.string("Membership id", 36))
                .required("member_name", Schema.string("Member name", 100))
                .required("week_start", Schema.string("First day", 10))
                .required("week_end", Schema.string("Last day", 10))
                .required("status", Schema.string("open, submitted, approved or rejected", 10))
                .required("rejection_reason", Schema.nullableString("Why it was rejected"))
                .required("days", Schema.arrayOf(day, "Seven days"))
                .required("total_minutes", Schema.number("Minutes in the week"))
                .required("billable_minutes", Schema.number("Billable minutes in the week"))
                .required("entries", Schema.arrayOf(Map.of("type", "object"), "The week's entries"))
                .required("entries_complete", Schema.bool("False when more than 500 entries exist"))
                .toMap();
    }

    static Map<String, Object> teamSchema() {
        Map<String, Object> row = Schema.object()
                .required("member_id", Schema.string("Membership id", 36))
                .required("member_name", Schema.string("Member name", 100))
                .required("status", Schema.string("open, submitted, approved or rejected", 10))
                .required("total_minutes", Schema.number("Minutes in the week"))
                .toMap();
        return Schema.object()
                .required("week_start", Schema.string("First day", 10))
                .required("timesheets", Schema.arrayOf(row, "One per active member"))
                .toMap();
    }
}
