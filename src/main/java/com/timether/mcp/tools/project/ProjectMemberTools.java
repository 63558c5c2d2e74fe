package com.timether.mcp.tools.project;

import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Who works on a project, with an optional project-specific rate. */
public final class ProjectMemberTools {
    private ProjectMemberTools() {}

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema pair = Schema.object()
                .requiredId("project_id", Entity.PROJECT, "The project's id")
                .requiredId("member_id", Entity.MEMBER, "The membership id (from list_members)");
        return List.of(
                Tool.read(
                        "list_project_members",
                        "List project members",
                        "Lists the members assigned to a project, with their project rate if one is set.",
                        ProjectTools.READ,
                        Schema.object().requiredId("project_id", Entity.PROJECT, "The project's id"),
                        Schema.object()
                                .required("members", Schema.arrayOf(item(), "Assigned members"))
                                .toMap(),
                        ProjectMemberTools::list),
                Tool.create(
                        "add_project_member",
                        "Add a project member",
                        "Assigns a workspace member to a project, optionally with an hourly rate for this project"
                                + " in minor units (it wins over the member's and the project's rate).",
                        ProjectTools.MANAGE,
                        pair.optional("rate_minor", Schema.integer("Project rate in minor units", 0, 100_000_000)),
                        item(),
                        ProjectMemberTools::add),
                Tool.consequential(
                        "remove_project_member",
                        "Remove a project member",
                        "Removes a member from a project; their past time stays. The first call returns a"
                                + " confirmation_token and the effect.",
                        ProjectTools.MANAGE,
                        true,
                        Schema.object()
                                .requiredId("project_id", Entity.PROJECT, "The project's id")
                                .requiredId("member_id", Entity.MEMBER, "The membership id"),
                        Schema.object()
                                .required("removed", Schema.bool("True once removed"))
                                .toMap(),
                        call -> {
                            Map<String, Object> row = find(call);
                            return "Remove " + row.get("name") + " from project '"
                                    + ProjectTools.find(
                                                    call.handle(),
                                                    call.workspaceId(),
                                                    call.args().id("project_id"))
                                            .name()
                                    + "'.";
                        },
                        ProjectMemberTools::remove));
    }

    private static Map<String, Object> list(ToolCall call) {
        UUID project = ProjectTools.find(
                        call.handle(), call.workspaceId(), call.args().id("project_id"))
                .id();
        List<Map<String, Object>> rows = call.handle()
                .createQuery(SELECT + " WHERE pm.workspace_id = :ws"
                        + " AND pm.project_id = :project ORDER BY lower(u.display_name), m.id")
                .bind("ws", call.workspaceId())
                .bind("project", project)
                .map((rs, ctx) -> view(rs))
                .list();
        return Map.of("members", rows);
    }

    private static Map<String, Object> add(ToolCall call) {
        UUID project = ProjectTools.find(
                        call.handle(), call.workspaceId(), call.args().id("project_id"))
                .id();
        UUID member = call.args().id("member_id");
        boolean isActive = call.handle()
                .createQuery("SELECT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = :ws"
                        + " AND id = :id AND status = 'active')")
                .bind("ws", call.workspaceId())
                .bind("id", member)
                .mapTo(Boolean.class)
                .one();
        if (!isActive) {
            throw DomainException.notFound("No active member with id " + member + " in this workspace");
        }
        int added = call.handle()
                .createUpdate("INSERT INTO project_members (workspace_id, project_id, membership_id,"
                        + " rate_minor) VALUES (:ws, :project, :member, :rate) ON CONFLICT DO NOTHING")
                .bind("ws", call.workspaceId())
                .bind("project", project)
                .bind("member", member)
                .bind(
                        "rate",
                        call.args().optionalLong("rate_minor", 0, 100_000_000).orElse(null))
                .execute();
        if (added == 0) {
            throw DomainException.conflict("That member is already on this project");
        }
        call.audit("project.member.add", "project", project, Map.of("member_id", member.toString()));
        return find(call);
    }

    private static Map<String, Object> remove(ToolCall call) {
        find(call);
        call.handle()
                .createUpdate("DELETE FROM project_members WHERE workspace_id = :ws AND project_id = :project"
                        + " AND membership_id = :member")
                .bind("ws", call.workspaceId())
                .bind("project", call.args().id("project_id"))
                .bind("member", call.args().id("member_id"))
                .execute();
        call.audit(
                "project.member.remove",
                "project",
                call.args().id("project_id"),
                Map.of("member_id", call.args().id("member_id").toString()));
        return Map.of("removed", true);
    }

    private static final String SELECT = "SELECT m.id, u.display_name, u.email, pm.rate_minor FROM project_members pm"
            + " JOIN memberships m ON m.id = pm.membership_id JOIN users u ON u.id = m.user_id";

    private static Map<String, Object> find(ToolCall call) {
        return call.handle()
                .createQuery(SELECT + " WHERE pm.workspace_id = :ws AND pm.project_id = :project"
                        + " AND pm.membership_id = :member")
                .bind("ws", call.workspaceId())
                .bind("project", call.args().id("project_id"))
                .bind("member", call.args().id("member_id"))
                .map((rs, ctx) -> view(rs))
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No such member on a project of this workspace"));
    }

    private static Map<String, Object> view(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("member_id", rs.getObject("id", UUID.class).toString());
        view.put("name", rs.getString("display_name"));
        view.put("email", rs.getString("email"));
        view.put("rate_minor", rs.getObject("rate_minor", Long.class));
        return view;
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("member_id", Schema.string("Membership id", 36))
                .required("name", Schema.string("Display name", 100))
                .required("email", Schema.string("Email", 254))
                .required("rate_minor", Schema.nullableInteger("Project rate in minor units, or null"))
                .toMap();
    }
}
