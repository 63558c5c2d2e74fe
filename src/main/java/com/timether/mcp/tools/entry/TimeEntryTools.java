package com.timether.mcp.tools.entry;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Cursor;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Page;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import com.timether.tracking.EntryLocks;
import com.timether.tracking.WorkspaceClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.Query;

/** Time entries: listing with filters, viewing, creating, changing and deleting. */
public final class TimeEntryTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement TRACK = Requirement.of(Scope.WRITE, Role.MEMBER);

    private TimeEntryTools() {}

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema byId = Schema.object().requiredId("entry_id", Entity.TIME_ENTRY, "The time entry's id");
        return List.of(
                Tool.read(
                        "list_time_entries",
                        "List time entries",
                        "Lists time entries, newest first, 50 per page by default (limit up to 200). Filters: from"
                                + " and to (dates, workspace time zone, to inclusive), member_id (managers and up;"
                                + " members always see only their own), project_id, client_id, tag_id, billable,"
                                + " invoiced. Pass next_cursor as cursor for the next page.",
                        READ,
                        Schema.object()
                                .optional("from", Schema.string("First day, such as 2026-03-02", 10))
                                .optional("to", Schema.string("Last day, inclusive", 10))
                                .optionalId("member_id", Entity.MEMBER, "Only this member's time")
                                .optionalId("project_id", Entity.PROJECT, "Only this project")
                                .optionalId("client_id", Entity.CLIENT, "Only this client's projects")
                                .optionalId("tag_id", Entity.TAG, "Only entries with this tag")
                                .optional("billable", Schema.bool("Only billable (true) or non-billable (false)"))
                                .optional("invoiced", Schema.bool("Only entries on an invoice (true) or not (false)"))
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("entries", item()),
                        TimeEntryTools::list),
                Tool.read(
                        "get_time_entry",
                        "Get a time entry",
                        "Returns one time entry by id.",
                        READ,
                        byId,
                        item(),
                        call -> Entries.find(call, call.args().id("entry_id")).view()),
                Tool.create(
                        "create_time_entry",
                        "Record time",
                        "Records time already worked: start plus end or duration_minutes (at most 24 hours). Times"
                                + " with an offset are exact; without one they are read in the workspace time zone."
                                + " The bill rate is fixed now from the project member, project, member or"
                                + " workspace rate. Managers may record for another member with member_id.",
                        TRACK,
                        fields(Schema.object()
                                .required("start", Schema.string("Start, ISO 8601", 40))
                                .optionalId("member_id", Entity.MEMBER, "Record for this member (managers+)")),
                        item(),
                        TimeEntryTools::create),
                Tool.update(
                        "update_time_entry",
                        "Change a time entry",
                        "Changes an entry's times, description, project, billable flag or tags; arguments left out"
                                + " stay. Locked entries (lock date, approved timesheet, issued invoice) are refused"
                                + " with the reason.",
                        TRACK,
                        fields(Schema.object()
                                .requiredId("entry_id", Entity.TIME_ENTRY, "The time entry's id")
                                .optional("start", Schema.string("New start, ISO 8601", 40))),
                        item(),
                        TimeEntryTools::update),
                Tool.consequential(
                        "delete_time_entry",
                        "Delete a time entry",
                        "Deletes a time entry for good. The first call returns a confirmation_token and the effect.",
                        TRACK,
                        true,
                        byId,
                        Schema.object()
                                .required("deleted", Schema.bool("True once deleted"))
                                .required("id", Schema.string("Deleted entry id", 36))
                                .toMap(),
                        call -> {
                            Entries.Row row = editable(call);
                            return "Delete "
                                    + Duration.between(row.start(), row.end()).toMinutes() + " minutes of "
                                    + row.memberName() + " starting " + row.start() + " ("
                                    + (row.description().isEmpty() ? "no description" : row.description()) + ").";
                        },
                        TimeEntryTools::delete));
    }

    private static Schema fields(Schema schema) {
        return schema.optional("end", Schema.string("End, ISO 8601", 40))
                .optional("duration_minutes", Schema.integer("Length in minutes, instead of end", 1, 1440))
                .optional("description", Schema.string("What was done", 2000))
                .optionalId("project_id", Entity.PROJECT, "The project")
                .optional("billable", Schema.bool("Billable; defaults to the project's setting"))
                .optionalIds("tag_ids", Entity.TAG, "Tags (replaces the entry's tags)");
    }

    private static Map<String, Object> list(ToolCall call) {
        var args = call.args();
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        int limit = args.limit();
        List<String> where = new ArrayList<>(List.of("e.workspace_id = :ws"));
        boolean isOwnOnly = !call.principal().role().isAtLeast(Role.MANAGER);
        Optional<UUID> member = args.optionalId("member_id");
        if (isOwnOnly
                && member.isPresent()
                && !member.get().equals(call.principal().memberId())) {
            throw DomainException.invalid("Members see only their own time; leave member_id out");
        }
        if (isOwnOnly || member.isPresent()) {
            where.add("e.membership_id = :member");
        }
        Optional<LocalDate> from = args.optionalText("from", 10).map(v -> WorkspaceClock.date("from", v));
        Optional<LocalDate> to = args.optionalText("to", 10).map(v -> WorkspaceClock.date("to", v));
        from.ifPresent(d -> where.add("e.started_at >= :from"));
        to.ifPresent(d -> where.add("e.started_at < :to"));
        args.optionalId("project_id").ifPresent(p -> where.add("e.project_id = :project"));
        args.optionalId("client_id").ifPresent(c -> where.add("p.client_id = :client"));
        args.optionalId("tag_id")
                .ifPresent(t -> where.add(
                        "EXISTS (SELECT 1 FROM time_entry_tags x WHERE x.time_entry_id = e.id AND x.tag_id = :tag)"));
        args.optionalBool("billable").ifPresent(b -> where.add("e.billable = :billable"));
        args.optionalBool("invoiced")
                .ifPresent(i -> where.add(i ? "e.invoice_id IS NOT NULL" : "e.invoice_id IS NULL"));
        Optional<List<String>> after = Cursor.decode(args, 2);
        after.ifPresent(k -> where.add("(e.started_at, e.id) < (:afterStart, :afterId)"));
        Query query = call.handle()
                .createQuery(Entries.SELECT + " WHERE " + String.join(" AND ", where)
                        + " ORDER BY e.started_at DESC, e.id DESC LIMIT :limit")
                .bind("ws", call.workspaceId())
                .bind("member", member.orElse(call.principal().memberId()))
                .bind("from", from.map(clock::startOf).orElse(null))
                .bind("to", to.map(d -> clock.startOf(d.plusDays(1))).orElse(null))
                .bind("project", args.optionalId("project_id").orElse(null))
                .bind("client", args.optionalId("client_id").orElse(null))
                .bind("tag", args.optionalId("tag_id").orElse(null))
                .bind("billable", args.optionalBool("billable").orElse(null))
                .bind("limit", limit + 1);
        if (after.isPresent()) {
            query.bind("afterStart", Cursor.instant(after.get().get(0)))
                    .bind("afterId", Cursor.id(after.get().get(1)));
        }
        List<Entries.Row> rows = query.map((rs, ctx) -> Entries.row(rs)).list();
        return Page.of(
                "entries",
                rows,
                limit,
                Entries.Row::view,
                r -> List.of(r.start().toString(), r.id().toString()));
    }

    private static Map<String, Object> create(ToolCall call) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        Instant start = clock.instant("start", call.args().text("start", 40));
        Instant end = end(call, clock, start);
        UUID id = Entries.insert(
                call,
                new Entries.NewEntry(
                        Entries.memberFor(call),
                        call.args().optionalId("project_id"),
                        call.args().optionalText("description", 2000).orElse(""),
                        start,
                        end,
                        call.args().optionalBool("billable"),
                        call.args().optionalIds("tag_ids", 20).orElse(List.of())));
        call.audit("time_entry.create", "time_entry", id, Map.of("start", start.toString(), "end", end.toString()));
        return Entries.find(call, id).view();
    }

    private static Map<String, Object> update(ToolCall call) {
        Entries.Row row = editable(call);
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        Instant start = call.args()
                .optionalText("start", 40)
                .map(v -> clock.instant("start", v))
                .orElse(row.start());
        Instant end = call.args().has("end") || call.args().has("duration_minutes")
                ? end(call, clock, start)
                : start.plus(Duration.between(row.start(), row.end()));
        Entries.checkSpan(start, end);
        EntryLocks.requireOpen(
                call.handle(),
                call.workspaceId(),
                clock,
                call.principal().workspace().lockDate(),
                row.memberId(),
                start);
        Optional<UUID> project = call.args().optionalId("project_id");
        project.ifPresent(p -> Entries.requireOpenProject(call, p));
        Optional<List<UUID>> tags = call.args().optionalIds("tag_ids", 20);
        tags.ifPresent(t -> Entries.requireTags(call, t));
        call.handle()
                .createUpdate("UPDATE time_entries SET started_at = :start, ended_at = :end,"
                        + " description = :description, project_id = :project, billable = :billable,"
                        + " updated_at = now() WHERE workspace_id = :ws AND id = :id")
                .bind("start", start)
                .bind("end", end)
                .bind(
                        "description",
                        call.args().optionalText("description", 2000).orElse(row.description()))
                .bind("project", project.orElse(row.projectId()))
                .bind("billable", call.args().optionalBool("billable").orElse(row.isBillable()))
                .bind("ws", call.workspaceId())
                .bind("id", row.id())
                .execute();
        tags.ifPresent(t -> Entries.setTags(call.handle(), call.workspaceId(), row.id(), t));
        call.audit(
                "time_entry.update",
                "time_entry",
                row.id(),
                Map.of("fields", call.args().values().keySet()));
        return Entries.find(call, row.id()).view();
    }

    private static Map<String, Object> delete(ToolCall call) {
        Entries.Row row = editable(call);
        call.handle()
                .createUpdate("DELETE FROM time_entries WHERE workspace_id = :ws AND id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", row.id())
                .execute();
        call.audit(
                "time_entry.delete",
                "time_entry",
                row.id(),
                Map.of("start", row.start().toString()));
        return Map.of("deleted", true, "id", row.id().toString());
    }

    /** The entry, if the caller may change it now: visible to them, not locked by date, approval or invoice. */
    private static Entries.Row editable(ToolCall call) {
        Entries.Row row = Entries.find(call, call.args().id("entry_id"));
        EntryLocks.requireNotInvoiced(call.handle(), call.workspaceId(), row.id());
        EntryLocks.requireOpen(
                call.handle(),
                call.workspaceId(),
                WorkspaceClock.of(call.principal().workspace()),
                call.principal().workspace().lockDate(),
                row.memberId(),
                row.start());
        return row;
    }

    private static Instant end(ToolCall call, WorkspaceClock clock, Instant start) {
        Optional<String> end = call.args().optionalText("end", 40);
        Optional<Long> minutes = call.args().optionalLong("duration_minutes", 1, 1440);
        if (end.isPresent() == minutes.isPresent()) {
            throw DomainException.invalid("give either end or duration_minutes, not both and not neither");
        }
        return end.map(v -> clock.instant("end", v)).orElseGet(() -> start.plus(Duration.ofMinutes(minutes.get())));
    }

    static Map<String, Object> item() {
        Map<String, Object> tag = Schema.object()
                .required("id", Schema.string("Tag id", 36))
                .required("name", Schema.string("Tag name", 60))
                .toMap();
        return Schema.object()
                .required("id", Schema.string("Entry id", 36))
                .required("member_id", Schema.string("Membership id", 36))
                .required("member_name", Schema.string("Member name", 100))
                .required("project_id", Schema.nullableString("Project id"))
                .required("project_name", Schema.nullableString("Project name"))
                .required("description", Schema.string("What was done", 2000))
                .required("start", Schema.string("Start instant (UTC, ISO 8601)", 40))
                .required("end", Schema.string("End instant (UTC, ISO 8601)", 40))
                .required("duration_minutes", Schema.number("Length in whole minutes"))
                .required("billable", Schema.bool("Billable"))
                .required("rate_minor", Schema.number("Hourly bill rate kept on the entry, minor units"))
                .required("currency", Schema.string("Currency of the rate", 3))
                .required("invoice_id", Schema.nullableString("Invoice the entry is billed on"))
                .required("tags", Schema.arrayOf(tag, "Tags"))
                .toMap();
    }
}
