package com.timether.mcp.tools.project;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Cursor;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Page;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.mcp.tools.WorkspaceRows;
import com.timether.platform.error.DomainException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/** Projects: listing, viewing, creating, changing, archiving and deleting. */
public final class ProjectTools {
    static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    static final Requirement MANAGE = Requirement.of(Scope.WRITE, Role.MANAGER);
    private static final Pattern COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");
    private static final String[] CLEARABLE = {
        "client_id", "color", "rate_minor", "budget_minutes", "budget_amount_minor"
    };
    private static final String COLUMNS = "p.id, p.name, p.client_id, c.name AS client_name, p.color,"
            + " p.billable_default, p.rate_minor, p.budget_minutes, p.budget_amount_minor, p.archived";
    private static final String FROM = " FROM projects p LEFT JOIN clients c ON c.id = p.client_id";

    private ProjectTools() {}

    record Row(
            UUID id,
            String name,
            UUID clientId,
            String clientName,
            String color,
            boolean isBillable,
            Long rate,
            Integer budgetMinutes,
            Long budgetAmount,
            boolean isArchived) {
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("name", name);
            view.put("client_id", clientId == null ? null : clientId.toString());
            view.put("client_name", clientName);
            view.put("color", color);
            view.put("billable", isBillable);
            view.put("rate_minor", rate);
            view.put("budget_minutes", budgetMinutes);
            view.put("budget_amount_minor", budgetAmount);
            view.put("archived", isArchived);
            return view;
        }
    }

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema byId = Schema.object().requiredId("project_id", Entity.PROJECT, "The project's id");
        return List.of(
                Tool.read(
                        "list_projects",
                        "List projects",
                        "Lists projects by name, optionally of one client; archived ones only with"
                                + " include_archived. 50 per page by default; pass next_cursor as cursor.",
                        READ,
                        Schema.object()
                                .optionalId("client_id", Entity.CLIENT, "Only this client's projects")
                                .optional("include_archived", Schema.bool("Also list archived projects"))
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("projects", item()),
                        ProjectTools::list),
                Tool.read(
                        "get_project",
                        "Get a project",
                        "Returns one project by id.",
                        READ,
                        byId,
                        item(),
                        call -> find(
                                        call.handle(),
                                        call.workspaceId(),
                                        call.args().id("project_id"))
                                .view()),
                Tool.create(
                        "create_project",
                        "Create a project",
                        "Creates a project, optionally for a client. Rates are hourly, in minor units of the"
                                + " workspace currency (9000 = 90.00). Names are unique, ignoring case.",
                        MANAGE,
                        fields(Schema.object().required("name", Schema.string("Project name", 200))),
                        item(),
                        ProjectTools::create),
                Tool.update(
                        "update_project",
                        "Update a project",
                        "Changes a project's name, client, colour, billable default, rate or budget; arguments left"
                                + " out stay as they are, and client_id, color, rate_minor or a budget given as null"
                                + " are cleared.",
                        MANAGE,
                        fields(Schema.object()
                                        .requiredId("project_id", Entity.PROJECT, "The project's id")
                                        .optional("name", Schema.string("New name", 200)))
                                .clearable(CLEARABLE),
                        item(),
                        ProjectTools::update),
                Tool.update(
                        "archive_project",
                        "Archive or restore a project",
                        "Archives a project (no new time on it; history kept) or restores it with archived=false.",
                        MANAGE,
                        Schema.object()
                                .requiredId("project_id", Entity.PROJECT, "The project's id")
                                .optional("archived", Schema.bool("true to archive (default), false to restore")),
                        item(),
                        ProjectTools::archive),
                Tool.consequential(
                        "delete_project",
                        "Delete a project",
                        "Deletes a project for good. Refused while time entries, timers or expenses use it: archive"
                                + " it instead. The first call returns a confirmation_token and the effect.",
                        MANAGE,
                        true,
                        byId,
                        Schema.object()
                                .required("deleted", Schema.bool("True once deleted"))
                                .required("id", Schema.string("Deleted project id", 36))
                                .toMap(),
                        call -> "Delete project '"
                                + find(
                                                call.handle(),
                                                call.workspaceId(),
                                                call.args().id("project_id"))
                                        .name()
                                + "' and its member list for good.",
                        ProjectTools::delete));
    }

    private static Schema fields(Schema schema) {
        return schema.optionalId("client_id", Entity.CLIENT, "The client the project is for")
                .optional("color", Schema.string("Colour such as #3366ff", 7))
                .optional("billable", Schema.bool("Whether new time on it is billable by default"))
                .optional("rate_minor", Schema.integer("Hourly bill rate in minor units", 0, 100_000_000))
                .optional("budget_minutes", Schema.integer("Time budget in minutes", 1, 100_000_000))
                .optional("budget_amount_minor", Schema.integer("Money budget in minor units", 1, 100_000_000_000L));
    }

    private static Map<String, Object> list(ToolCall call) {
        int limit = call.args().limit();
        Optional<UUID> client = call.args().optionalId("client_id");
        client.ifPresent(id -> WorkspaceRows.requireExists(call, WorkspaceRows.Table.CLIENTS, id));
        Optional<List<String>> after = Cursor.decode(call.args(), 2);
        List<Row> rows = call.handle()
                .createQuery("SELECT " + COLUMNS + FROM + " WHERE p.workspace_id = :ws"
                        + " AND (:archived OR NOT p.archived)"
                        + " AND (CAST(:client AS uuid) IS NULL OR p.client_id = :client)"
                        + " AND (CAST(:afterName AS text) IS NULL"
                        + " OR (lower(p.name), p.id) > (lower(:afterName), CAST(:afterId AS uuid)))"
                        + " ORDER BY lower(p.name), p.id LIMIT :limit")
                .bind("ws", call.workspaceId())
                .bind("archived", call.args().optionalBool("include_archived").orElse(false))
                .bind("client", client.orElse(null))
                .bind("afterName", after.map(k -> k.get(0)).orElse(null))
                .bind("afterId", after.map(k -> Cursor.id(k.get(1))).orElse(null))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> row(rs))
                .list();
        return Page.of("projects", rows, limit, Row::view, r -> List.of(r.name(), r.id().toString()));
    }

    private static Map<String, Object> create(ToolCall call) {
        String name = call.args().text("name", 200);
        WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.PROJECTS, name, null);
        Optional<UUID> client = call.args().optionalId("client_id");
        client.ifPresent(id -> WorkspaceRows.requireUnarchived(call, WorkspaceRows.Table.CLIENTS, id));
        UUID id = call.handle()
                .createQuery("INSERT INTO projects (workspace_id, client_id, name, color,"
                        + " billable_default, rate_minor, budget_minutes, budget_amount_minor)"
                        + " VALUES (:ws, :client, :name, :color, :billable, :rate, :minutes, :amount) RETURNING id")
                .bind("ws", call.workspaceId())
                .bind("client", client.orElse(null))
                .bind("name", name)
                .bind("color", color(call).orElse(null))
                .bind("billable", call.args().optionalBool("billable").orElse(client.isPresent()))
                .bind(
                        "rate",
                        call.args().optionalLong("rate_minor", 0, 100_000_000).orElse(null))
                .bind(
                        "minutes",
                        call.args()
                                .optionalLong("budget_minutes", 1, 100_000_000)
                                .orElse(null))
                .bind(
                        "amount",
                        call.args()
                                .optionalLong("budget_amount_minor", 1, 100_000_000_000L)
                                .orElse(null))
                .mapTo(UUID.class)
                .one();
        call.audit("project.create", "project", id, Map.of("name", name));
        return find(call.handle(), call.workspaceId(), id).view();
    }

    private static Map<String, Object> update(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("project_id"));
        Optional<String> name = call.args().optionalText("name", 200);
        name.ifPresent(n -> WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.PROJECTS, n, current.id()));
        Optional<UUID> client = call.args().optionalId("client_id");
        client.filter(id -> !id.equals(current.clientId()))
                .ifPresent(id -> WorkspaceRows.requireUnarchived(call, WorkspaceRows.Table.CLIENTS, id));
        call.handle()
                .createUpdate("UPDATE projects SET name = :name, client_id = :client, color = :color,"
                        + " billable_default = :billable, rate_minor = :rate, budget_minutes = :minutes,"
                        + " budget_amount_minor = :amount, updated_at = now() WHERE workspace_id = :ws AND id = :id")
                .bind("name", name.orElse(current.name()))
                .bind("client", cleared(call, "client_id", client.orElse(current.clientId())))
                .bind("color", cleared(call, "color", color(call).orElse(current.color())))
                .bind("billable", call.args().optionalBool("billable").orElse(current.isBillable()))
                .bind(
                        "rate",
                        cleared(
                                call,
                                "rate_minor",
                                call.args()
                                        .optionalLong("rate_minor", 0, 100_000_000)
                                        .orElse(current.rate())))
                .bind(
                        "minutes",
                        cleared(
                                call,
                                "budget_minutes",
                                call.args()
                                        .optionalLong("budget_minutes", 1, 100_000_000)
                                        .map(Long::intValue)
                                        .orElse(current.budgetMinutes())))
                .bind(
                        "amount",
                        cleared(
                                call,
                                "budget_amount_minor",
                                call.args()
                                        .optionalLong("budget_amount_minor", 1, 100_000_000_000L)
                                        .orElse(current.budgetAmount())))
                .bind("ws", call.workspaceId())
                .bind("id", current.id())
                .execute();
        call.audit(
                "project.update",
                "project",
                current.id(),
                Map.of("fields", call.args().given()));
        return find(call.handle(), call.workspaceId(), current.id()).view();
    }

    private static Map<String, Object> archive(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("project_id"));
        WorkspaceRows.setArchived(
                call,
                WorkspaceRows.Table.PROJECTS,
                current.id(),
                call.args().optionalBool("archived").orElse(true));
        return find(call.handle(), call.workspaceId(), current.id()).view();
    }

    private static Map<String, Object> delete(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("project_id"));
        long uses = call.handle()
                .createQuery("SELECT (SELECT count(*) FROM time_entries WHERE workspace_id = :ws"
                        + " AND project_id = :id) + (SELECT count(*) FROM timers WHERE workspace_id = :ws"
                        + " AND project_id = :id) + (SELECT count(*) FROM expenses WHERE workspace_id = :ws"
                        + " AND project_id = :id)")
                .bind("ws", call.workspaceId())
                .bind("id", current.id())
                .mapTo(Long.class)
                .one();
        if (uses > 0) {
            throw DomainException.conflict("Project '" + current.name() + "' has " + uses
                    + " time entries, timers or expenses; archive it with archive_project instead");
        }
        return WorkspaceRows.delete(call, WorkspaceRows.Table.PROJECTS, current.id(), current.name());
    }

    /** {@code value}, or null when the argument was given as null to clear it. */
    private static <T> T cleared(ToolCall call, String name, T value) {
        return call.args().isCleared(name) ? null : value;
    }

    private static Optional<String> color(ToolCall call) {
        Optional<String> color = call.args().optionalText("color", 7);
        if (color.isPresent() && !COLOR.matcher(color.get()).matches()) {
            throw DomainException.invalid("color must look like #3366ff, got '" + color.get() + "'");
        }
        return color;
    }

    /** The project with this id in the workspace; another workspace's project is not found, like a missing one. */
    static Row find(Handle h, UUID workspaceId, UUID id) {
        return h.createQuery("SELECT " + COLUMNS + FROM + " WHERE p.workspace_id = :ws AND p.id = :id")
                .bind("ws", workspaceId)
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .orElseThrow(() -> WorkspaceRows.notFound(WorkspaceRows.Table.PROJECTS, id));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getObject("client_id", UUID.class),
                rs.getString("client_name"),
                rs.getString("color"),
                rs.getBoolean("billable_default"),
                rs.getObject("rate_minor", Long.class),
                rs.getObject("budget_minutes", Integer.class),
                rs.getObject("budget_amount_minor", Long.class),
                rs.getBoolean("archived"));
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("id", Schema.string("Project id", 36))
                .required("name", Schema.string("Name", 200))
                .required("client_id", Schema.nullableString("Client id"))
                .required("client_name", Schema.nullableString("Client name"))
                .required("color", Schema.nullableString("Colour"))
                .required("billable", Schema.bool("Billable by default"))
                .required("rate_minor", Schema.nullableInteger("Hourly rate in minor units"))
                .required("budget_minutes", Schema.nullableInteger("Time budget in minutes"))
                .required("budget_amount_minor", Schema.nullableInteger("Money budget in minor units"))
                .required("archived", Schema.bool("Whether archived"))
                .toMap();
    }
}
