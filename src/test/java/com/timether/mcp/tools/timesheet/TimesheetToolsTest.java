package com.timether.mcp.tools.timesheet;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.MemberStatus;
import com.timether.testing.Confirmed;
import com.timether.testing.McpCall;
import com.timether.testing.ReportingRows;
import com.timether.testing.ReportingRows.Notification;
import com.timether.testing.ReportingRows.OutboxEmail;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Timesheets through the real /mcp endpoint with real tokens, for every role and a read-only connection. */
class TimesheetToolsTest {
    private static final String WEEK = "2026-03-02";
    private static final List<String> TOOLS = List.of(
            "get_timesheet",
            "list_timesheets",
            "submit_timesheet",
            "approve_timesheet",
            "reject_timesheet",
            "reopen_timesheet");

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private final User member = TestData.member(app, workspace, Role.MEMBER);
    private final User manager = TestData.member(app, workspace, Role.MANAGER);
    private final UUID memberId = ReportingRows.memberId(member.id(), workspace.id());

    @Test
    void getTimesheet_memberWithEntries_daysEntriesTotalsAndStatus() {
        McpCall me = connect(member, "timether:write");
        entry(me, "2026-03-02T09:00", "2026-03-02T11:30", true);
        entry(me, "2026-03-04T14:00", "2026-03-04T15:00", false);
        entry(me, "2026-03-09T09:00", "2026-03-09T10:00", true);

        JsonNode sheet = me.ok("get_timesheet", Map.of("week", "2026-03-05"));

        assertThat(sheet.get("member_id").asString()).isEqualTo(memberId.toString());
        assertThat(sheet.get("member_name").asString()).isEqualTo(member.displayName());
        assertThat(sheet.get("week_start").asString()).isEqualTo(WEEK);
        assertThat(sheet.get("week_end").asString()).isEqualTo("2026-03-08");
        assertThat(sheet.get("status").asString()).isEqualTo("open");
        assertThat(sheet.get("rejection_reason").isNull()).isTrue();
        assertThat(dayMinutes(sheet)).containsExactly(150L, 0L, 60L, 0L, 0L, 0L, 0L);
        assertThat(sheet.get("days").get(0).get("date").asString()).isEqualTo(WEEK);
        assertThat(sheet.get("total_minutes").asLong()).isEqualTo(210);
        assertThat(sheet.get("billable_minutes").asLong()).isEqualTo(150);
        assertThat(sheet.get("entries").size()).isEqualTo(2);
        assertThat(sheet.get("entries").get(0).get("duration_minutes").asLong()).isEqualTo(150);
        assertThat(sheet.get("entries_complete").asBoolean()).isTrue();
    }

    @Test
    void getTimesheet_memberAsksForAnotherMembersWeek_refused() {
        McpCall me = connect(member, "timether:write");
        UUID managerId = ReportingRows.memberId(manager.id(), workspace.id());

        String refused = me.refusal("get_timesheet", Map.of("member_id", managerId.toString(), "week", WEEK));

        assertThat(refused).isEqualTo("Members work on their own time only; leave member_id out");
    }

    @Test
    void getTimesheet_managerAndAdminAskForMembersWeek_seeItsEntries() {
        McpCall me = connect(member, "timether:write");
        entry(me, "2026-03-03T08:00", "2026-03-03T12:00", true);
        User admin = TestData.member(app, workspace, Role.ADMIN);

        JsonNode byManager = connect(manager, "timether:read")
                .ok("get_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK));
        JsonNode byAdmin =
                connect(admin, "timether:read").ok("get_timesheet", Map.of("member_id", memberId.toString()));
        String unknown = connect(manager, "timether:read")
                .refusal("get_timesheet", Map.of("member_id", UUID.randomUUID().toString()));

        assertThat(byManager.get("member_id").asString()).isEqualTo(memberId.toString());
        assertThat(byManager.get("total_minutes").asLong()).isEqualTo(240);
        assertThat(byManager.get("entries").size()).isEqualTo(1);
        assertThat(byAdmin.get("member_id").asString()).isEqualTo(memberId.toString());
        assertThat(unknown).startsWith("No active member with id ").endsWith(" in this workspace");
    }

    @Test
    void listTimesheets_member_absentFromListAndRefused() {
        McpCall me = connect(member, "timether:write");

        List<String> tools = toolNames(me);
        String refused = me.refusal("list_timesheets", Map.of("week", WEEK));

        assertThat(tools).contains("get_timesheet", "submit_timesheet").doesNotContain("list_timesheets");
        assertThat(tools).doesNotContain("approve_timesheet", "reject_timesheet", "reopen_timesheet");
        assertThat(refused)
                .isEqualTo("list_timesheets is not available to this connection: This needs the manager role or"
                        + " above; you are member.");
    }

    @Test
    void listTimesheets_manager_everyActiveMemberWithStatusAndTotal() {
        McpCall me = connect(member, "timether:write");
        entry(me, "2026-03-03T08:00", "2026-03-03T09:45", true);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        User inactive = TestData.member(app, workspace, Role.MEMBER);
        app.members()
                .setStatus(
                        workspace.id(),
                        ReportingRows.memberId(inactive.id(), workspace.id()),
                        MemberStatus.INACTIVE,
                        Actor.operator());

        JsonNode list = connect(manager, "timether:read").ok("list_timesheets", Map.of("week", "2026-03-06"));

        assertThat(list.get("week_start").asString()).isEqualTo(WEEK);
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        list.get("timesheets").forEach(row -> byId.put(row.get("member_id").asString(), row));
        assertThat(byId).hasSize(3);
        assertThat(byId.get(memberId.toString()).get("status").asString()).isEqualTo("submitted");
        assertThat(byId.get(memberId.toString()).get("total_minutes").asLong()).isEqualTo(105);
        assertThat(byId.get(ReportingRows.memberId(owner.id(), workspace.id()).toString())
                        .get("status")
                        .asString())
                .isEqualTo("open");
        assertThat(byId)
                .doesNotContainKey(
                        ReportingRows.memberId(inactive.id(), workspace.id()).toString());
    }

    @Test
    void submitTimesheet_readOnlyConnection_absentFromListAndRefused() {
        McpCall reader = connect(member, "timether:read");
        McpCall managerReader = connect(manager, "timether:read");

        List<String> tools = toolNames(reader);
        List<String> managerTools = toolNames(managerReader);
        HttpResponse<String> submit =
                reader.send("tools/call", Map.of("name", "submit_timesheet", "arguments", Map.of("week", WEEK)));
        HttpResponse<String> approve = managerReader.send(
                "tools/call",
                Map.of("name", "approve_timesheet", "arguments", Map.of("member_id", memberId.toString())));

        assertThat(tools).contains("get_timesheet").doesNotContain("submit_timesheet");
        assertThat(managerTools)
                .contains("get_timesheet", "list_timesheets")
                .doesNotContain("submit_timesheet", "approve_timesheet", "reject_timesheet", "reopen_timesheet");
        assertThat(submit.statusCode()).isEqualTo(403);
        assertThat(submit.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"timether:read timether:write\"")
                .contains("submit_timesheet needs the timether:write scope");
        assertThat(approve.statusCode()).isEqualTo(403);
        assertThat(approve.body()).contains("approve_timesheet needs the timether:write scope");
        assertThat(reader.ok("get_timesheet", Map.of("week", WEEK))
                        .get("status")
                        .asString())
                .isEqualTo("open");
    }

    @Test
    void submitTimesheet_openWeek_submittedOnceOnly() {
        McpCall me = connect(member, "timether:write");
        entry(me, "2026-03-03T08:00", "2026-03-03T09:00", true);

        JsonNode submitted = me.ok("submit_timesheet", Map.of("week", "2026-03-08"));
        String again = me.refusal("submit_timesheet", Map.of("week", WEEK));

        assertThat(submitted.get("status").asString()).isEqualTo("submitted");
        assertThat(submitted.get("week_start").asString()).isEqualTo(WEEK);
        assertThat(submitted.get("total_minutes").asLong()).isEqualTo(60);
        assertThat(again)
                .isEqualTo("The week of 2026-03-02 is submitted; only open or rejected weeks can be submitted");
    }

    @Test
    void approveTimesheet_submittedWeek_confirmsThenApprovesAndLocksTheWeek() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        String inWeek = entry(me, "2026-03-03T08:00", "2026-03-03T10:00", true);
        String nextWeek = entry(me, "2026-03-09T08:00", "2026-03-09T09:00", true);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "week", WEEK);

        JsonNode pending = Confirmed.ask(boss, "approve_timesheet", args);
        String statusWhilePending =
                me.ok("get_timesheet", Map.of("week", WEEK)).get("status").asString();
        JsonNode approved = boss.ok("approve_timesheet", Confirmed.withToken(args, pending));
        String reused = boss.refusal("approve_timesheet", Confirmed.withToken(args, pending));
        String update = me.refusal("update_time_entry", Map.of("entry_id", inWeek, "description", "changed"));
        String create = me.refusal("create_time_entry", Map.of("start", "2026-03-05T08:00", "end", "2026-03-05T09:00"));
        String delete = me.refusal("delete_time_entry", Map.of("entry_id", inWeek));
        JsonNode outside = me.ok("update_time_entry", Map.of("entry_id", nextWeek, "description", "still open"));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Approve the timesheet of " + member.displayName()
                        + " for the week of 2026-03-02; its entries will be locked.");
        assertThat(pending.get("expires_at").asString()).isNotBlank();
        assertThat(statusWhilePending).isEqualTo("submitted");
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(reused).startsWith("confirmation_token was already used; each token works once.");
        assertThat(update)
                .isEqualTo("Time on 2026-03-03 is locked: the timesheet of the week of 2026-03-02 is approved. A"
                        + " manager can reopen it with reopen_timesheet.");
        assertThat(create).contains("Time on 2026-03-05 is locked").contains("is approved");
        assertThat(delete).contains("is locked").contains("approved");
        assertThat(outside.get("description").asString()).isEqualTo("still open");
    }

    @Test
    void approveTimesheet_tokenUsedForOtherWeekToolOrConnection_refusedAndNothingChanges() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        McpCall otherBoss = connect(TestData.member(app, workspace, Role.MANAGER), "timether:write");
        me.ok("submit_timesheet", Map.of("week", WEEK));
        me.ok("submit_timesheet", Map.of("week", "2026-03-09"));
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "week", WEEK);
        JsonNode pending = Confirmed.ask(boss, "approve_timesheet", args);

        String otherWeek = boss.refusal(
                "approve_timesheet",
                Confirmed.withToken(Map.of("member_id", memberId.toString(), "week", "2026-03-09"), pending));
        Map<String, Object> reject = new java.util.HashMap<>(args);
        reject.put("reason", "x");
        String otherTool = boss.refusal("reject_timesheet", Confirmed.withToken(reject, pending));
        String otherConnection = otherBoss.refusal("approve_timesheet", Confirmed.withToken(args, pending));
        String status =
                me.ok("get_timesheet", Map.of("week", WEEK)).get("status").asString();
        JsonNode approved = boss.ok("approve_timesheet", Confirmed.withToken(args, pending));

        assertThat(otherWeek).startsWith("confirmation_token was issued for other arguments");
        assertThat(otherTool).startsWith("confirmation_token was issued for approve_timesheet, not reject_timesheet.");
        assertThat(otherConnection).startsWith("confirmation_token is not valid for this connection.");
        assertThat(status).isEqualTo("submitted");
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(me.ok("get_timesheet", Map.of("week", "2026-03-09"))
                        .get("status")
                        .asString())
                .isEqualTo("submitted");
    }

    @Test
    void timesheetTools_pastDueBilling_readableButNotSubmittable() {
        McpCall me = connect(member, "timether:write");
        app.workspaces().setBillingState(workspace.id(), BillingState.PAST_DUE, Actor.operator());

        List<String> tools = toolNames(me);
        String refused = me.refusal("submit_timesheet", Map.of("week", WEEK));
        JsonNode sheet = me.ok("get_timesheet", Map.of("week", WEEK));
        String badWeek = me.refusal("get_timesheet", Map.of("week", "2026-W10"));

        assertThat(tools).contains("get_timesheet").doesNotContain("submit_timesheet");
        assertThat(refused)
                .isEqualTo("submit_timesheet is not available to this connection: The workspace is read-only while"
                        + " its billing state is past_due.");
        assertThat(sheet.get("status").asString()).isEqualTo("open");
        assertThat(badWeek).isEqualTo("week must be a date such as 2026-03-02, got '2026-W10'");
    }

    @Test
    void approveTimesheet_whileTheWeekIsBeingRejected_waitsAndIsRefused() throws Exception {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        entry(me, "2026-03-03T08:00", "2026-03-03T10:00", true);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "week", WEEK);
        JsonNode pending = Confirmed.ask(boss, "approve_timesheet", args);
        JsonNode answer;

        try (Handle rejection = app.database().jdbi().open();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            rejection.begin();
            rejection
                    .createUpdate("UPDATE timesheets SET status = 'rejected', rejection_reason = 'Missing Friday'"
                            + " WHERE workspace_id = :ws AND membership_id = :member AND week_start = '2026-03-02'")
                    .bind("ws", workspace.id())
                    .bind("member", memberId)
                    .execute();
            Future<JsonNode> approval =
                    threads.submit(() -> boss.tool("approve_timesheet", Confirmed.withToken(args, pending)));
            boolean isWaiting = TrackingRows.awaitLockWait(app, approval, "FROM timesheets");
            rejection.commit();
            answer = approval.get();
            assertThat(isWaiting)
                    .as("the approval waited for the rejection's row lock")
                    .isTrue();
        }

        assertThat(answer.path("isError").asBoolean()).isTrue();
        assertThat(answer.get("content").get(0).get("text").asString())
                .isEqualTo("The week of 2026-03-02 is rejected; it must be submitted to become approved");
        assertThat(me.ok("get_timesheet", Map.of("week", WEEK)).get("status").asString())
                .isEqualTo("rejected");
    }

    @Test
    void approveTimesheet_weekNotSubmitted_refusedBeforeAnyToken() {
        McpCall boss = connect(manager, "timether:write");

        String refused = boss.refusal("approve_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK));
        String reject = boss.refusal(
                "reject_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK, "reason", "no"));
        String reopen = boss.refusal("reopen_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK));

        assertThat(refused).isEqualTo("The week of 2026-03-02 is open; it must be submitted to become approved");
        assertThat(reject).isEqualTo("The week of 2026-03-02 is open; it must be submitted to become rejected");
        assertThat(reopen)
                .isEqualTo("The week of 2026-03-02 is open; it must be submitted, approved or rejected to become"
                        + " open");
    }

    @Test
    void approveTimesheet_alreadyApproved_refusedAndNotSubmittableAgain() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "week", WEEK);
        Confirmed.call(boss, "approve_timesheet", args);

        String again = boss.refusal("approve_timesheet", args);
        String submit = me.refusal("submit_timesheet", Map.of("week", WEEK));

        assertThat(again).isEqualTo("The week of 2026-03-02 is approved; it must be submitted to become approved");
        assertThat(submit)
                .isEqualTo("The week of 2026-03-02 is approved; only open or rejected weeks can be submitted");
    }

    @Test
    void rejectTimesheet_withReason_memberSeesReasonFixesAndResubmits() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        String entry = entry(me, "2026-03-03T08:00", "2026-03-03T10:00", true);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> args =
                Map.of("member_id", memberId.toString(), "week", WEEK, "reason", "Tuesday lacks a project");

        String noReason = boss.refusal("reject_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK));
        String blankReason = boss.refusal(
                "reject_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK, "reason", "   "));
        JsonNode pending = Confirmed.ask(boss, "reject_timesheet", args);
        JsonNode rejected = boss.ok("reject_timesheet", Confirmed.withToken(args, pending));
        JsonNode seen = me.ok("get_timesheet", Map.of("week", WEEK));
        JsonNode fixed = me.ok("update_time_entry", Map.of("entry_id", entry, "description", "fixed"));
        JsonNode resubmitted = me.ok("submit_timesheet", Map.of("week", WEEK));

        assertThat(noReason).contains("reject_timesheet").contains("required property 'reason' not found");
        assertThat(blankReason).isEqualTo("reason must be 1 to 1000 characters, got 0");
        assertThat(pending.get("effect").asString())
                .isEqualTo("Reject the timesheet of " + member.displayName()
                        + " for the week of 2026-03-02; reason: Tuesday lacks a project.");
        assertThat(rejected.get("status").asString()).isEqualTo("rejected");
        assertThat(seen.get("status").asString()).isEqualTo("rejected");
        assertThat(seen.get("rejection_reason").asString()).isEqualTo("Tuesday lacks a project");
        assertThat(fixed.get("description").asString()).isEqualTo("fixed");
        assertThat(resubmitted.get("status").asString()).isEqualTo("submitted");
        assertThat(resubmitted.get("rejection_reason").isNull()).isTrue();
    }

    @Test
    void reopenTimesheet_approvedWeek_entriesChangeableAgain() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        String entry = entry(me, "2026-03-03T08:00", "2026-03-03T10:00", true);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> args = Map.of("member_id", memberId.toString(), "week", WEEK);
        Confirmed.call(boss, "approve_timesheet", args);

        JsonNode pending = Confirmed.ask(boss, "reopen_timesheet", args);
        JsonNode reopened = boss.ok("reopen_timesheet", Confirmed.withToken(args, pending));
        JsonNode changed = me.ok("update_time_entry", Map.of("entry_id", entry, "description", "changed"));
        JsonNode submittedAgain = me.ok("submit_timesheet", Map.of("week", WEEK));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Reopen the timesheet of " + member.displayName()
                        + " for the week of 2026-03-02; its entries can be changed again.");
        assertThat(reopened.get("status").asString()).isEqualTo("open");
        assertThat(changed.get("description").asString()).isEqualTo("changed");
        assertThat(submittedAgain.get("status").asString()).isEqualTo("submitted");
    }

    @Test
    void approveTimesheet_managerOrAdminOnOwnWeek_refusedButAnotherManagerMay() {
        User admin = TestData.member(app, workspace, Role.ADMIN);
        McpCall boss = connect(manager, "timether:write");
        McpCall adminCall = connect(admin, "timether:admin");
        UUID managerId = ReportingRows.memberId(manager.id(), workspace.id());
        UUID adminId = ReportingRows.memberId(admin.id(), workspace.id());
        boss.ok("submit_timesheet", Map.of("week", WEEK));
        adminCall.ok("submit_timesheet", Map.of("week", WEEK));

        String own = boss.refusal("approve_timesheet", Map.of("member_id", managerId.toString(), "week", WEEK));
        String adminOwn = adminCall.refusal("reject_timesheet", Map.of("member_id", adminId.toString(), "reason", "x"));
        JsonNode byAdmin =
                Confirmed.call(adminCall, "approve_timesheet", Map.of("member_id", managerId.toString(), "week", WEEK));
        JsonNode byManager =
                Confirmed.call(boss, "approve_timesheet", Map.of("member_id", adminId.toString(), "week", WEEK));

        assertThat(own).isEqualTo("You cannot decide on your own timesheet; ask another manager");
        assertThat(adminOwn).isEqualTo("You cannot decide on your own timesheet; ask another manager");
        assertThat(byAdmin.get("status").asString()).isEqualTo("approved");
        assertThat(byManager.get("status").asString()).isEqualTo("approved");
    }

    @Test
    void approveTimesheet_ownerOnOwnWeek_approved() {
        McpCall boss = connect(owner, "timether:admin");
        UUID ownerId = ReportingRows.memberId(owner.id(), workspace.id());
        boss.ok("submit_timesheet", Map.of("week", WEEK));

        JsonNode approved =
                Confirmed.call(boss, "approve_timesheet", Map.of("member_id", ownerId.toString(), "week", WEEK));

        assertThat(approved.get("status").asString()).isEqualTo("approved");
    }

    @Test
    void approveTimesheet_memberCalls_refusedWithRole() {
        McpCall me = connect(member, "timether:write");
        UUID managerId = ReportingRows.memberId(manager.id(), workspace.id());

        String refused = me.refusal("approve_timesheet", Map.of("member_id", managerId.toString(), "week", WEEK));
        String reopen = me.refusal("reopen_timesheet", Map.of("member_id", memberId.toString(), "week", WEEK));

        assertThat(refused)
                .isEqualTo("approve_timesheet is not available to this connection: This needs the manager role or"
                        + " above; you are member.");
        assertThat(reopen).contains("This needs the manager role or above; you are member.");
    }

    @Test
    void approveTimesheet_memberOfAnotherWorkspace_notFound() {
        User stranger = TestData.user(app);
        Workspace other = TestData.workspace(app, stranger, Plan.BUSINESS);
        UUID strangerId = ReportingRows.memberId(stranger.id(), other.id());

        String refused = connect(manager, "timether:write")
                .refusal("approve_timesheet", Map.of("member_id", strangerId.toString(), "week", WEEK));

        assertThat(refused).isEqualTo("No member with id " + strangerId + " in this workspace");
    }

    @Test
    void decisions_member_notifiedInAppAndByEmail() {
        McpCall me = connect(member, "timether:write");
        McpCall boss = connect(manager, "timether:write");
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Map<String, Object> week = Map.of("member_id", memberId.toString(), "week", WEEK);
        Map<String, Object> reject = new java.util.HashMap<>(week);
        reject.put("reason", "Add Friday");

        Confirmed.call(boss, "reject_timesheet", reject);
        me.ok("submit_timesheet", Map.of("week", WEEK));
        Confirmed.call(boss, "approve_timesheet", week);

        assertThat(ReportingRows.notifications(member.id(), workspace.id()))
                .containsExactly(
                        new Notification(
                                "timesheet.rejected",
                                "Your timesheet for the week of 2026-03-02 is now rejected: Add Friday."),
                        new Notification(
                                "timesheet.approved", "Your timesheet for the week of 2026-03-02 is now approved."));
        assertThat(ReportingRows.outbox(member.email()))
                .containsExactly(
                        new OutboxEmail(
                                "Timesheet rejected",
                                "Your timesheet for the week of 2026-03-02 is now rejected: Add Friday."),
                        new OutboxEmail(
                                "Timesheet approved", "Your timesheet for the week of 2026-03-02 is now approved."));
        assertThat(ReportingRows.notifications(manager.id(), workspace.id())).isEmpty();
        String target = " timesheet/" + memberId + "/" + WEEK;
        assertThat(ReportingRows.mcpAudit(workspace.id(), "timesheet."))
                .containsExactly(
                        member.id() + " timesheet.submit" + target,
                        manager.id() + " timesheet.rejected" + target,
                        member.id() + " timesheet.submit" + target,
                        manager.id() + " timesheet.approved" + target);
    }

    @Test
    void approveTimesheet_memberTurnedApprovalEmailsOff_notificationWithoutEmail() {
        McpCall me = connect(member, "timether:write");
        ReportingRows.approvalEmails(member.id(), workspace.id(), false);
        me.ok("submit_timesheet", Map.of("week", WEEK));

        Confirmed.call(
                connect(manager, "timether:write"),
                "approve_timesheet",
                Map.of("member_id", memberId.toString(), "week", WEEK));

        assertThat(ReportingRows.notifications(member.id(), workspace.id()))
                .extracting(Notification::kind)
                .containsExactly("timesheet.approved");
        assertThat(ReportingRows.outbox(member.email())).isEmpty();
    }

    @Test
    void timesheetTools_capabilitySwitchedOff_hiddenAndRefused() {
        McpCall boss = connect(manager, "timether:write");
        app.workspaces().setCapability(workspace.id(), Capability.TIMESHEETS, false, Actor.operator());

        List<String> tools = toolNames(boss);
        String get = boss.refusal("get_timesheet", Map.of("week", WEEK));
        String approve = boss.refusal("approve_timesheet", Map.of("member_id", memberId.toString()));

        assertThat(tools).doesNotContainAnyElementsOf(TOOLS).contains("summary_report", "list_time_entries");
        assertThat(get)
                .isEqualTo("get_timesheet is not available to this connection: The timesheets capability is"
                        + " switched off in this workspace.");
        assertThat(approve).endsWith("The timesheets capability is switched off in this workspace.");
    }

    @Test
    void timesheetTools_entitlementWithheld_hiddenAndRefused() {
        McpCall boss = connect(manager, "timether:write");
        app.workspaces()
                .setEntitlementOverride(workspace.id(), Entitlement.TIMESHEETS, Optional.of(false), Actor.operator());

        List<String> tools = toolNames(boss);
        String refused = boss.refusal("list_timesheets", Map.of());

        assertThat(tools).doesNotContainAnyElementsOf(TOOLS).contains("summary_report");
        assertThat(refused)
                .isEqualTo("list_timesheets is not available to this connection: The workspace's plan does not"
                        + " include timesheets.");
    }

    @Test
    void timesheetTools_planWithoutTimesheets_hiddenAndRefused() {
        User soloOwner = TestData.user(app);
        Workspace solo = TestData.workspace(app, soloOwner, Plan.SOLO_PRO);
        app.workspaces()
                .setEntitlementOverride(solo.id(), Entitlement.PUBLIC_API_ACCESS, Optional.of(true), Actor.operator());
        McpCall me = McpCall.connect(soloOwner.email(), solo.id(), "timether:admin");

        List<String> tools = toolNames(me);
        String refused = me.refusal("submit_timesheet", Map.of("week", WEEK));

        assertThat(tools).doesNotContainAnyElementsOf(TOOLS).contains("summary_report", "create_time_entry");
        assertThat(refused)
                .isEqualTo("submit_timesheet is not available to this connection: The workspace's plan does not"
                        + " include timesheets.");
    }

    private McpCall connect(User user, String scope) {
        return McpCall.connect(user.email(), workspace.id(), scope);
    }

    private static String entry(McpCall mcp, String start, String end, boolean isBillable) {
        return mcp.ok("create_time_entry", Map.of("start", start, "end", end, "billable", isBillable))
                .get("id")
                .asString();
    }

    private static List<Long> dayMinutes(JsonNode sheet) {
        List<Long> minutes = new ArrayList<>();
        sheet.get("days").forEach(day -> minutes.add(day.get("minutes").asLong()));
        return minutes;
    }

    private static List<String> toolNames(McpCall mcp) {
        List<String> names = new ArrayList<>();
        mcp.result("tools/list", Map.of())
                .get("tools")
                .forEach(t -> names.add(t.get("name").asString()));
        return names;
    }
}
