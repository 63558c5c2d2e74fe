package com.timether.mcp;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.mcp.tool.Entity;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One workspace of the cross-workspace matrix, holding one real record of every kind a tool can name by id, each
 * made the way a person would make it (MCP calls of its owner or member, or the services), and in the states
 * consequential tools need: the member is on the project, has a running timer and a submitted week.
 */
final class MatrixWorkspace {
    /** The week whose timesheet the member submitted. */
    static final String WEEK = "2026-03-02";

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** One factory per entity a tool argument can name; a tool naming an entity missing here fails the matrix. */
    private static final Map<Entity, Function<MatrixWorkspace, UUID>> FACTORIES = factories();

    final Application app;
    /** Every name, email and description made here contains the marker, so a leak of any is found by it alone. */
    final String marker;

    final User owner;
    final User member;
    final Workspace workspace;
    final McpCall ownerCall;
    final McpCall memberCall;
    private final Map<Entity, UUID> ids = new EnumMap<>(Entity.class);

    private MatrixWorkspace(Application app, String label) {
        this.app = app;
        this.marker = label + "-" + TestData.unique();
        this.owner = TestData.user(app);
        this.workspace = TestData.workspace(app, owner, Plan.BUSINESS);
        this.member = TestData.member(app, workspace, Role.MEMBER);
        this.ownerCall = McpCall.connect(owner.email(), workspace.id(), "timether:admin");
        this.memberCall = McpCall.connect(member.email(), workspace.id(), "timether:write");
    }

    /** A workspace with one record of each kind and the member's timer running. */
    static MatrixWorkspace create(String label) {
        MatrixWorkspace side = new MatrixWorkspace(TestServer.app(), label);
        FACTORIES.keySet().forEach(side::id);
        side.memberCall.ok(
                "start_timer",
                Map.of("project_id", side.text(Entity.PROJECT), "description", side.marker + " timer running"));
        return side;
    }

    /** The entities the matrix can make a record of. */
    static Set<Entity> kinds() {
        return FACTORIES.keySet();
    }

    /** This workspace's record of {@code entity}, made on first use. */
    UUID id(Entity entity) {
        UUID id = ids.get(entity);
        if (id == null) {
            id = FACTORIES.get(entity).apply(this);
            ids.put(entity, id);
        }
        return id;
    }

    String text(Entity entity) {
        return id(entity).toString();
    }

    /** Names and emails of this workspace that must never show in another workspace's answers. */
    List<String> names() {
        return List.of(
                marker, owner.email(), owner.displayName(), member.email(), member.displayName(), workspace.name());
    }

    /** Every id held in this workspace's rows. */
    Set<String> allIds(String snapshot) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = UUID_TEXT.matcher(snapshot);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** Every row of every table that belongs to this workspace, plus its people, as sorted JSON text. */
    String snapshot() {
        return app.database().jdbi().withHandle(h -> {
            List<String> tables = h.createQuery("SELECT table_name FROM information_schema.columns"
                            + " WHERE table_schema = current_schema() AND column_name = 'workspace_id'"
                            + " ORDER BY table_name")
                    .mapTo(String.class)
                    .list();
            StringBuilder rows = new StringBuilder();
            for (String table : tables) {
                rows.append(table)
                        .append(": ")
                        .append(h.createQuery("SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n'"
                                        + " ORDER BY to_jsonb(t)::text), '') FROM " + table
                                        + " t WHERE workspace_id = :ws")
                                .bind("ws", workspace.id())
                                .mapTo(String.class)
                                .one())
                        .append('\n');
            }
            rows.append("users: ")
                    .append(h.createQuery("SELECT coalesce(string_agg(to_jsonb(u)::text, E'\\n'"
                                    + " ORDER BY u.id), '') FROM users u WHERE u.id IN"
                                    + " (SELECT user_id FROM memberships WHERE workspace_id = :ws)")
                            .bind("ws", workspace.id())
                            .mapTo(String.class)
                            .one());
            rows.append("\nworkspace: ")
                    .append(h.createQuery("SELECT to_jsonb(w)::text FROM workspaces w WHERE id = :ws")
                            .bind("ws", workspace.id())
                            .mapTo(String.class)
                            .one());
            return rows.toString();
        });
    }

    private String lower() {
        return marker.toLowerCase(Locale.ROOT);
    }

    private static Map<Entity, Function<MatrixWorkspace, UUID>> factories() {
        Map<Entity, Function<MatrixWorkspace, UUID>> factories = new EnumMap<>(Entity.class);
        factories.put(Entity.MEMBER, MatrixWorkspace::makeMember);
        factories.put(Entity.INVITE, MatrixWorkspace::makeInvite);
        factories.put(Entity.CLIENT, MatrixWorkspace::makeClient);
        factories.put(Entity.PROJECT, MatrixWorkspace::makeProject);
        factories.put(Entity.TAG, MatrixWorkspace::makeTag);
        factories.put(Entity.TIME_ENTRY, MatrixWorkspace::makeEntry);
        factories.put(Entity.TIMESHEET, MatrixWorkspace::makeTimesheet);
        return factories;
    }

    private UUID makeMember() {
        return app.members()
                .findByUser(workspace.id(), member.id())
                .orElseThrow()
                .id();
    }

    private UUID makeInvite() {
        return app.invites()
                .create(
                        workspace.id(),
                        "invitee-" + lower() + "@test.example",
                        Role.MEMBER,
                        owner.id(),
                        Actor.operator())
                .id();
    }

    private UUID makeClient() {
        return idOf(ownerCall.ok(
                "create_client", Map.of("name", marker + " Client", "email", "billing-" + lower() + "@test.example")));
    }

    /** The project is the client's, and the member works on it. */
    private UUID makeProject() {
        UUID project = idOf(ownerCall.ok(
                "create_project",
                Map.of("name", marker + " Project", "client_id", text(Entity.CLIENT), "rate_minor", 9000)));
        ownerCall.ok("add_project_member", Map.of("project_id", project.toString(), "member_id", text(Entity.MEMBER)));
        return project;
    }

    private UUID makeTag() {
        return idOf(ownerCall.ok("create_tag", Map.of("name", marker + " Tag")));
    }

    /** The member's own entry, outside the submitted week so that it stays editable. */
    private UUID makeEntry() {
        return idOf(memberCall.ok(
                "create_time_entry",
                Map.of(
                        "start",
                        "2026-02-10T09:00",
                        "duration_minutes",
                        90,
                        "project_id",
                        text(Entity.PROJECT),
                        "tag_ids",
                        List.of(text(Entity.TAG)),
                        "description",
                        marker + " entry work")));
    }

    /** The member submits {@link #WEEK}; tools name the week by member and date, the row has its own id. */
    private UUID makeTimesheet() {
        memberCall.ok("submit_timesheet", Map.of("week", WEEK));
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT id FROM timesheets WHERE workspace_id = :ws"
                                + " AND membership_id = :member AND week_start = CAST(:week AS date)")
                        .bind("ws", workspace.id())
                        .bind("member", id(Entity.MEMBER))
                        .bind("week", WEEK)
                        .mapTo(UUID.class)
                        .one());
    }

    private static UUID idOf(tools.jackson.databind.JsonNode record) {
        return UUID.fromString(record.get("id").asString());
    }
}
