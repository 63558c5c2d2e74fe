package com.timether.mcp.tools.timer;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.mcp.tools.entry.Entries;
import com.timether.platform.error.DomainException;
import com.timether.tracking.Rounding;
import com.timether.workspace.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The running timer: at most one per member per workspace, stopped into a rounded time entry. */
public final class TimerTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement TRACK = Requirement.of(Scope.WRITE, Role.MEMBER);

    private TimerTools() {}

    record Timer(
            UUID id,
            UUID member,
            UUID project,
            String projectName,
            String description,
            boolean isBillable,
            Instant start,
            List<UUID> tags) {
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("member_id", member.toString());
            view.put("project_id", project == null ? null : project.toString());
            view.put("project_name", projectName);
            view.put("description", description);
            view.put("billable", isBillable);
            view.put("tag_ids", tags.stream().map(UUID::toString).toList());
            view.put("started_at", start.toString());
            view.put("elapsed_minutes", Duration.between(start, Instant.now()).toMinutes());
            return view;
        }

        String describe() {
            return "'" + (description.isEmpty() ? "no description" : description) + "'"
                    + (projectName == null ? "" : " on " + projectName) + " since " + start;
        }
    }

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema forMember = Schema.object().optionalId("member_id", Entity.MEMBER, "Another member's timer (managers+)");
        return List.of(
                Tool.read(
                        "get_running_timer",
                        "Get the running timer",
                        "Returns your running timer (or a member's, for managers), or running=false.",
                        READ,
                        forMember,
                        output(),
                        TimerTools::get),
                Tool.create(
                        "start_timer",
                        "Start a timer",
                        "Starts your timer now. Only one timer runs per member: if one runs already the call is"
                                + " refused naming it, unless stop_running=true, which stops it into a time entry"
                                + " first.",
                        TRACK,
                        Schema.object()
                                .optional("description", Schema.string("What you are doing", 2000))
                                .optionalId("project_id", Entity.PROJECT, "The project")
                                .optional("billable", Schema.bool("Billable; defaults to the project's setting"))
                                .optionalIds("tag_ids", Entity.TAG, "Tags")
                                .optional("stop_running", Schema.bool("Stop a running timer first")),
                        output(),
                        TimerTools::start),
                Tool.update(
                        "stop_timer",
                        "Stop the timer",
                        "Stops your running timer and records it as a time entry, rounded by the workspace's"
                                + " rounding setting. Managers may stop a member's timer with member_id.",
                        TRACK,
                        forMember,
                        stopped(),
                        call -> stop(call, Entries.memberFor(call))),
                Tool.consequential(
                        "discard_timer",
                        "Discard the timer",
                        "Throws the running timer away without recording time. The first call returns a"
                                + " confirmation_token and the effect.",
                        TRACK,
                        true,
                        forMember,
                        output(),
                        call -> "Discard the running timer "
                                + running(call, Entries.memberFor(call))
                                        .orElseThrow(TimerTools::noTimer)
                                        .describe() + " without recording its time.",
                        TimerTools::discard));
    }

    private static Map<String, Object> get(ToolCall call) {
        return running(call, Entries.memberFor(call))
                .map(TimerTools::runningView)
                .orElse(idle());
    }

    private static Map<String, Object> start(ToolCall call) {
        UUID member = Entries.memberFor(call);
        if (call.args().optionalBool("stop_running").orElse(false)
                && running(call, member).isPresent()) {
            stop(call, member);
        }
        Optional<UUID> project = call.args().optionalId("project_id");
        boolean projectBillable =
                project.map(p -> Entries.requireOpenProject(call, p)).orElse(false);
        List<UUID> tags = call.args().optionalIds("tag_ids", 20).orElse(List.of());
        Entries.requireTags(call, tags);
        // The unique key (workspace, member) makes this race-free: of concurrent starts exactly one inserts.
        Optional<UUID> id = call.handle()
                .createQuery("INSERT INTO timers (workspace_id, membership_id, project_id,"
                        + " description, billable, started_at) VALUES (:ws, :member, :project, :description,"
                        + " :billable, now()) ON CONFLICT (workspace_id, membership_id) DO NOTHING RETURNING id")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .bind("project", project.orElse(null))
                .bind(
                        "description",
                        call.args().optionalText("description", 2000).orElse(""))
                .bind("billable", call.args().optionalBool("billable").orElse(projectBillable))
                .mapTo(UUID.class)
                .findOne();
        if (id.isEmpty()) {
            Timer current = running(call, member)
                    .orElseThrow(() -> DomainException.conflict(
                            "Another timer was started at the same moment; call get_running_timer"));
            throw DomainException.conflict("A timer is already running: " + current.describe()
                    + ". Stop it with stop_timer, or call start_timer with stop_running=true.");
        }
        for (UUID tag : tags) {
            call.handle()
                    .createUpdate("INSERT INTO timer_tags (workspace_id, timer_id, tag_id) VALUES (:ws, :t, :tag)")
                    .bind("ws", call.workspaceId())
                    .bind("t", id.get())
                    .bind("tag", tag)
                    .execute();
        }
        call.audit("timer.start", "timer", id.get(), Map.of());
        return runningView(running(call, member).orElseThrow());
    }

    private static Map<String, Object> stop(ToolCall call, UUID member) {
        Timer timer = lockRunning(call, member);
        Workspace ws = call.principal().workspace();
        Duration elapsed = Duration.between(timer.start(), Instant.now());
        boolean isCapped = elapsed.compareTo(Entries.MAX_LENGTH) > 0;
        Duration rounded =
                Rounding.apply(isCapped ? Entries.MAX_LENGTH : elapsed, ws.roundingMinutes(), ws.roundingMode());
        if (rounded.compareTo(Entries.MAX_LENGTH) > 0) {
            rounded = Entries.MAX_LENGTH;
        }
        deleteTimer(call, timer);
        UUID entry = Entries.insertStoppedTimer(
                call,
                new Entries.NewEntry(
                        member,
                        Optional.ofNullable(timer.project()),
                        timer.description(),
                        timer.start(),
                        timer.start().plus(rounded),
                        Optional.of(timer.isBillable()),
                        timer.tags()));
        call.audit(
                "timer.stop", "time_entry", entry, Map.of("timer_id", timer.id().toString()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entry", Entries.find(call, entry).view());
        result.put("elapsed_minutes", elapsed.toMinutes());
        result.put("recorded_minutes", rounded.toMinutes());
        result.put("capped_at_24_hours", isCapped);
        return result;
    }

    private static Map<String, Object> discard(ToolCall call) {
        Timer timer = lockRunning(call, Entries.memberFor(call));
        deleteTimer(call, timer);
        call.audit(
                "timer.discard",
                "timer",
                timer.id(),
                Map.of("started_at", timer.start().toString()));
        return idle();
    }

    private static Timer lockRunning(ToolCall call, UUID member) {
        call.handle()
                .createQuery(
                        "SELECT id FROM timers WHERE workspace_id = :ws AND membership_id = :member" + " FOR UPDATE")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .mapTo(UUID.class)
                .findOne();
        return running(call, member).orElseThrow(TimerTools::noTimer);
    }

    private static void deleteTimer(ToolCall call, Timer timer) {
        call.handle()
                .createUpdate("DELETE FROM timers WHERE workspace_id = :ws AND id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", timer.id())
                .execute();
    }

    private static DomainException noTimer() {
        return DomainException.conflict("No timer is running; start one with start_timer");
    }

    static Optional<Timer> running(ToolCall call, UUID member) {
        return call.handle()
                .createQuery("SELECT t.*, p.name AS project_name,"
                        + " ARRAY(SELECT tag_id FROM timer_tags x WHERE x.timer_id = t.id) AS tags"
                        + " FROM timers t LEFT JOIN projects p ON p.id = t.project_id"
                        + " WHERE t.workspace_id = :ws AND t.membership_id = :member")
                .bind("ws", call.workspaceId())
                .bind("member", member)
                .map((rs, ctx) -> new Timer(
                        rs.getObject("id", UUID.class),
                        rs.getObject("membership_id", UUID.class),
                        rs.getObject("project_id", UUID.class),
                        rs.getString("project_name"),
                        rs.getString("description"),
                        rs.getBoolean("billable"),
                        rs.getTimestamp("started_at").toInstant(),
                        List.of((UUID[]) rs.getArray("tags").getArray())))
                .findOne();
    }

    private static Map<String, Object> runningView(Timer timer) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("running", true);
        result.put("timer", timer.view());
        return result;
    }

    private static Map<String, Object> idle() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("running", false);
        result.put("timer", null);
        return result;
    }

    private static Map<String, Object> output() {
        return Schema.object()
                .required("running", Schema.bool("Whether a timer runs"))
                .required("timer", Map.of("type", List.of("object", "null"), "description", "The running timer"))
                .toMap();
    }

    private static Map<String, Object> stopped() {
        return Schema.object()
                .required("entry", Map.of("type", "object", "description", "The time entry recorded"))
                .required("elapsed_minutes", Schema.number("Minutes the timer ran"))
                .required("recorded_minutes", Schema.number("Minutes recorded after rounding"))
                .required("capped_at_24_hours", Schema.bool("True when the timer ran over 24 hours"))
                .toMap();
    }
}
