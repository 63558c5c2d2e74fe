package com.timether.mcp.tools.timesheet;

import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.mcp.tools.entry.Entries;
import com.timether.platform.error.DomainException;
import com.timether.tracking.WorkspaceClock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Weekly timesheets: viewing, submitting, approving, rejecting and reopening (capability timesheets). */
public final class TimesheetTools {
    static final Requirement READ = needs(Requirement.of(Scope.READ, Role.MEMBER));
    private static final Requirement SUBMIT = needs(Requirement.of(Scope.WRITE, Role.MEMBER));
    private static final Requirement REVIEW = needs(Requirement.of(Scope.WRITE, Role.MANAGER));
    private static final Requirement TEAM = needs(Requirement.of(Scope.READ, Role.MANAGER));

    private TimesheetTools() {}

    private static Requirement needs(Requirement base) {
        return base.entitled(Entitlement.TIMESHEETS).capable(Capability.TIMESHEETS);
    }

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema memberWeek = Schema.object()
                .requiredId("member_id", Entity.MEMBER, "The member whose week it is")
                .optional("week", Schema.string("Any day of the week, such as 2026-03-04; default this week", 10));
        return List.of(
                Tool.read(
                        "get_timesheet",
                        "Get a timesheet",
                        "Returns one member's week (yours by default): status, minutes per day cut in the workspace"
                                + " time zone, totals and entries. week is any date in the week.",
                        READ,
                        Schema.object()
                                .optionalId("member_id", Entity.MEMBER, "Another member's week (managers+)")
                                .optional("week", Schema.string("Any day of the week; default this week", 10)),
                        Timesheets.viewSchema(),
                        call -> Timesheets.view(call, Entries.memberFor(call), week(call))),
                Tool.read(
                        "list_timesheets",
                        "List a week's timesheets",
                        "Lists every active member's timesheet status and total for one week (managers and up).",
                        TEAM,
                        Schema.object().optional("week", Schema.string("Any day of the week; default this week", 10)),
                        Timesheets.teamSchema(),
                        call -> Timesheets.team(call, week(call))),
                Tool.update(
                        "submit_timesheet",
                        "Submit your timesheet",
                        "Submits your week for approval. Open and rejected weeks can be submitted.",
                        SUBMIT,
                        Schema.object().optional("week", Schema.string("Any day of the week; default this week", 10)),
                        Timesheets.viewSchema(),
                        TimesheetTools::submit),
                Tool.consequential(
                        "approve_timesheet",
                        "Approve a timesheet",
                        "Approves a submitted week: its entries become locked and the member is notified. The first"
                                + " call returns a confirmation_token and the effect.",
                        REVIEW,
                        false,
                        memberWeek,
                        Timesheets.viewSchema(),
                        call -> effect(call, "approved", "Approve", "its entries will be locked"),
                        call -> decide(call, "approved", "submitted", null)),
                Tool.consequential(
                        "reject_timesheet",
                        "Reject a timesheet",
                        "Rejects a submitted week with a reason the member sees; they can fix it and submit again."
                                + " The first call returns a confirmation_token and the effect.",
                        REVIEW,
                        false,
                        Schema.object()
                                .requiredId("member_id", Entity.MEMBER, "The member whose week it is")
                                .optional("week", Schema.string("Any day of the week; default this week", 10))
                                .required("reason", Schema.string("What to fix", 1000)),
                        Timesheets.viewSchema(),
                        call -> effect(
                                call,
                                "rejected",
                                "Reject",
                                "reason: " + call.args().text("reason", 1000)),
                        call -> decide(
                                call, "rejected", "submitted", call.args().text("reason", 1000))),
                Tool.consequential(
                        "reopen_timesheet",
                        "Reopen a timesheet",
                        "Reopens a submitted, approved or rejected week so its entries can change again. The first"
                                + " call returns a confirmation_token and the effect.",
                        REVIEW,
                        false,
                        memberWeek,
                        Timesheets.viewSchema(),
                        call -> effect(call, "open", "Reopen", "its entries can be changed again"),
                        call -> decide(call, "open", null, null)));
    }

    private static Map<String, Object> submit(ToolCall call) {
        UUID member = call.principal().memberId();
        LocalDate week = week(call);
        String status = Timesheets.lockedStatus(call, member, week);
        if (!status.equals("open") && !status.equals("rejected")) {
            throw DomainException.conflict(
                    "The week of " + week + " is " + status + "; only open or rejected weeks" + " can be submitted");
        }
        call.handle()
                .createUpdate("INSERT INTO timesheets (workspace_id, membership_id, week_start, status,"
                        + " submitted_at) VALUES (:ws, :member, :week, 'submitted', now())"
                        + " ON CONFLICT (workspace_id, membership_id, week_start) DO UPDATE SET status = 'submitted',"
                        + " submitted_at = now(), rejection_reason = NULL, updated_at = now()")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("week", week)
                .execute();
        call.audit("timesheet.submit", "timesheet", member + "/" + week, Map.of("week", week.toString()));
        return Timesheets.view(call, member, week);
    }

    private static String effect(ToolCall call, String to, String verb, String consequence) {
        UUID member = reviewable(call);
        LocalDate week = week(call);
        checkTransition(Timesheets.status(call, member, week), to, week);
        return verb + " the timesheet of " + Timesheets.memberName(call, member) + " for the week of " + week + "; "
                + consequence + ".";
    }

    private static Map<String, Object> decide(ToolCall call, String to, String requiredFrom, String reason) {
        UUID member = reviewable(call);
        LocalDate week = week(call);
        String from = Timesheets.lockedStatus(call, member, week);
        checkTransition(from, to, week);
        call.handle()
                .createUpdate("INSERT INTO timesheets (workspace_id, membership_id, week_start, status,"
                        + " decided_at, decided_by, rejection_reason) VALUES (:ws, :member, :week, :status, now(),"
                        + " :by, :reason) ON CONFLICT (workspace_id, membership_id, week_start) DO UPDATE SET"
                        + " status = :status, decided_at = now(), decided_by = :by, rejection_reason = :reason,"
                        + " updated_at = now()")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("week", week)
                .bind("status", to)
                .bind("by", call.principal().userId())
                .bind("reason", reason)
                .execute();
        Timesheets.notifyMember(call, member, week, to, reason);
        call.audit(
                "timesheet." + (to.equals("open") ? "reopen" : to),
                "timesheet",
                member + "/" + week,
                Map.of("week", week.toString(), "from", from));
        return Timesheets.view(call, member, week);
    }

    private static void checkTransition(String from, String to, LocalDate week) {
        boolean isAllowed = switch (to) {
            case "approved", "rejected" -> from.equals("submitted");
            case "open" -> !from.equals("open");
            default -> false;
        };
        if (!isAllowed) {
            String need = to.equals("open") ? "submitted, approved or rejected" : "submitted";
            throw DomainException.conflict(
                    "The week of " + week + " is " + from + "; it must be " + need + " to become " + to);
        }
    }

    /** The member under review; managers do not decide on their own weeks (owners may, having no one above). */
    private static UUID reviewable(ToolCall call) {
        UUID member = call.args().id("member_id");
        Timesheets.memberName(call, member);
        if (member.equals(call.principal().memberId()) && call.principal().role() != Role.OWNER) {
            throw DomainException.invalid("You cannot decide on your own timesheet; ask another manager");
        }
        return member;
    }

    private static LocalDate week(ToolCall call) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        LocalDate day = call.args()
                .optionalText("week", 10)
                .map(v -> WorkspaceClock.date("week", v))
                .orElse(clock.today());
        return clock.weekOf(day);
    }

    static Map<String, Object> linked(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
