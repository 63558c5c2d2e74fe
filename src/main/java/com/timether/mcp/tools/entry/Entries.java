package com.timether.mcp.tools.entry;

import com.timether.access.Role;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import com.timether.tracking.BillRates;
import com.timether.tracking.EntryLocks;
import com.timether.tracking.WorkspaceClock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Reading and writing time entries, shared by the entry, timer and timesheet tools. */
public final class Entries {
    /** The longest an entry may last; longer work is recorded as several entries. */
    public static final Duration MAX_LENGTH = Duration.ofHours(24);

    static final String SELECT = "SELECT e.id, e.membership_id, u.display_name AS member_name, e.project_id,"
            + " p.name AS project_name, p.client_id, e.description, e.started_at, e.ended_at, e.billable,"
            + " e.bill_rate_minor, e.currency, e.invoice_id, i.status AS invoice_status,"
            + " ARRAY(SELECT t.id::text || ':' || t.name FROM time_entry_tags x JOIN tags t ON t.id = x.tag_id"
            + " WHERE x.time_entry_id = e.id ORDER BY lower(t.name)) AS tags"
            + " FROM time_entries e JOIN memberships m ON m.id = e.membership_id JOIN users u ON u.id = m.user_id"
            + " LEFT JOIN projects p ON p.id = e.project_id LEFT JOIN invoices i ON i.id = e.invoice_id";

    private Entries() {}

    /** One entry as read. */
    public record Row(
            UUID id,
            UUID memberId,
            String memberName,
            UUID projectId,
            String projectName,
            UUID clientId,
            String description,
            Instant start,
            Instant end,
            boolean isBillable,
            long rate,
            String currency,
            UUID invoiceId,
            String invoiceStatus,
            List<String> tags) {

        /** The structured view tools return. */
        public Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("member_id", memberId.toString());
            view.put("member_name", memberName);
            view.put("project_id", projectId == null ? null : projectId.toString());
            view.put("project_name", projectName);
            view.put("description", description);
            view.put("start", start.toString());
            view.put("end", end.toString());
            view.put("duration_minutes", Duration.between(start, end).toMinutes());
            view.put("billable", isBillable);
            view.put("rate_minor", rate);
            view.put("currency", currency);
            view.put("invoice_id", invoiceId == null ? null : invoiceId.toString());
            view.put(
                    "tags",
                    tags.stream()
                            .map(t -> {
                                String[] parts = t.split(":", 2);
                                return Map.of("id", parts[0], "name", parts[1]);
                            })
                            .toList());
            return view;
        }
    }

    /** What a new entry holds. */
    public record NewEntry(
            UUID member,
            Optional<UUID> project,
            String description,
            Instant start,
            Instant end,
            Optional<Boolean> billable,
            List<UUID> tags) {}

    /** Validates and inserts an entry of new work (never on an archived project); returns its id. */
    public static UUID insert(ToolCall call, NewEntry entry) {
        return insert(call, entry, false);
    }

    /**
     * Validates and inserts the entry a stopped timer records. Its project may have been archived while it ran: the
     * time was worked on it before, and refusing would leave a member, who cannot restore projects, only discarding.
     */
    public static UUID insertStoppedTimer(ToolCall call, NewEntry entry) {
        return insert(call, entry, true);
    }

    /** The rate is resolved now and kept on the entry. */
    private static UUID insert(ToolCall call, NewEntry entry, boolean isArchivedProjectAllowed) {
        Handle h = call.handle();
        UUID ws = call.workspaceId();
        checkSpan(entry.start(), entry.end());
        boolean projectBillable = entry.project()
                .map(p -> requireProject(call, p, isArchivedProjectAllowed))
                .orElse(false);
        requireTags(call, entry.tags());
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        EntryLocks.requireOpen(h, ws, clock, call.principal().workspace().lockDate(), entry.member(), entry.start());
        UUID id = h.createQuery("INSERT INTO time_entries (workspace_id, membership_id, project_id, description,"
                        + " started_at, ended_at, billable, bill_rate_minor, currency)"
                        + " VALUES (:ws, :member, :project, :description, :start, :end, :billable, :rate, :currency)"
                        + " RETURNING id")
                .bind("ws", ws)
                .bind("member", entry.member())
                .bind("project", entry.project().orElse(null))
                .bind("description", entry.description())
                .bind("start", entry.start())
                .bind("end", entry.end())
                .bind("billable", entry.billable().orElse(projectBillable))
                .bind(
                        "rate",
                        BillRates.resolve(h, ws, entry.member(), entry.project().orElse(null)))
                .bind("currency", call.principal().workspace().currency())
                .mapTo(UUID.class)
                .one();
        setTags(h, ws, id, entry.tags());
        return id;
    }

    /** Refuses an end not after the start, or a span over 24 hours. */
    public static void checkSpan(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            throw DomainException.invalid("end (" + end + ") must be after start (" + start + ")");
        }
        Duration length = Duration.between(start, end);
        if (length.compareTo(MAX_LENGTH) > 0) {
            throw DomainException.invalid("end (" + end + ") is " + length.toMinutes() + " minutes after start; an"
                    + " entry may last at most 24 hours (1440 minutes); split longer work into several");
        }
        Instant now = Instant.now();
        if (start.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || start.isAfter(now.plus(Duration.ofDays(366)))) {
            throw DomainException.invalid("start must be between 2000-01-01 and one year from now, got " + start);
        }
    }

    /** Refuses a project of another workspace or an archived one; answers its billable default. */
    public static boolean requireOpenProject(ToolCall call, UUID project) {
        return requireProject(call, project, false);
    }

    private static boolean requireProject(ToolCall call, UUID project, boolean isArchivedAllowed) {
        record P(String name, boolean isArchived, boolean isBillable) {}
        P found = call.handle()
                .createQuery("SELECT name, archived, billable_default FROM projects"
                        + " WHERE workspace_id = :ws AND id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", project)
                .map((rs, ctx) -> new P(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)))
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No project with id " + project + " in this workspace"));
        if (found.isArchived() && !isArchivedAllowed) {
            throw DomainException.conflict("Project '" + found.name() + "' is archived; restore it with"
                    + " archive_project (archived=false) or pick another project");
        }
        return found.isBillable();
    }

    /** Refuses tags of another workspace. */
    public static void requireTags(ToolCall call, List<UUID> tags) {
        if (tags.isEmpty()) {
            return;
        }
        int found = call.handle()
                .createQuery("SELECT count(*) FROM tags WHERE workspace_id = :ws AND id = ANY(:ids)")
                .bind("ws", call.workspaceId())
                .bind("ids", tags.toArray(UUID[]::new))
                .mapTo(Integer.class)
                .one();
        if (found != tags.size()) {
            throw DomainException.notFound("Some tag_ids name no tag in this workspace; see list_tags");
        }
    }

    /** Replaces an entry's tags. */
    public static void setTags(Handle h, UUID ws, UUID entry, List<UUID> tags) {
        h.createUpdate("DELETE FROM time_entry_tags WHERE time_entry_id = :id")
                .bind("id", entry)
                .execute();
        for (UUID tag : tags) {
            h.createUpdate("INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id) VALUES (:ws, :e, :t)")
                    .bind("ws", ws)
                    .bind("e", entry)
                    .bind("t", tag)
                    .execute();
        }
    }

    /**
     * The entry with this id in the workspace, if the caller may see it: members see only their own time, and
     * another member's entry is answered as not found, like one of another workspace.
     */
    public static Row find(ToolCall call, UUID id) {
        boolean isOwnOnly = !call.principal().role().isAtLeast(Role.MANAGER);
        return call.handle()
                .createQuery(SELECT + " WHERE e.workspace_id = :ws AND e.id = :id"
                        + (isOwnOnly ? " AND e.membership_id = :me" : ""))
                .bind("ws", call.workspaceId())
                .bind("id", id)
                .bind("me", call.principal().memberId())
                .map((rs, ctx) -> row(rs))
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No time entry with id " + id + " in this workspace"));
    }

    /** The member a call acts for: the caller, or (for managers and up) the given {@code member_id}. */
    public static UUID memberFor(ToolCall call) {
        Optional<UUID> given = call.args().optionalId("member_id");
        if (given.isEmpty() || given.get().equals(call.principal().memberId())) {
            return call.principal().memberId();
        }
        if (!call.principal().role().isAtLeast(Role.MANAGER)) {
            throw DomainException.invalid("Members work on their own time only; leave member_id out");
        }
        boolean isActive = call.handle()
                .createQuery("SELECT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = :ws"
                        + " AND id = :id AND status = 'active')")
                .bind("ws", call.workspaceId())
                .bind("id", given.get())
                .mapTo(Boolean.class)
                .one();
        if (!isActive) {
            throw DomainException.notFound("No active member with id " + given.get() + " in this workspace");
        }
        return given.get();
    }

    /** The select list and joins of {@link Row}, to which callers add their conditions. */
    public static String selectSql() {
        return SELECT;
    }

    /** Maps a row selected with {@link #selectSql()}. */
    public static Row findRow(ResultSet rs) throws SQLException {
        return row(rs);
    }

    static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("membership_id", UUID.class),
                rs.getString("member_name"),
                rs.getObject("project_id", UUID.class),
                rs.getString("project_name"),
                rs.getObject("client_id", UUID.class),
                rs.getString("description"),
                rs.getTimestamp("started_at").toInstant(),
                rs.getTimestamp("ended_at").toInstant(),
                rs.getBoolean("billable"),
                rs.getLong("bill_rate_minor"),
                rs.getString("currency"),
                rs.getObject("invoice_id", UUID.class),
                rs.getString("invoice_status"),
                List.of((String[]) rs.getArray("tags").getArray()));
    }
}
