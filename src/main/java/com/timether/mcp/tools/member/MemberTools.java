package com.timether.mcp.tools.member;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Cursor;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Page;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.member.MemberService;
import com.timether.member.MemberStatus;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.StoredName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Members: listing, viewing, rates, roles, deactivating and reactivating. */
public final class MemberTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement ADMINISTER = Requirement.of(Scope.ADMIN, Role.ADMIN);
    private static final String SELECT = "SELECT m.id, m.user_id, u.email, u.display_name, m.role, m.status,"
            + " m.bill_rate_minor, m.cost_rate_minor FROM memberships m JOIN users u ON u.id = m.user_id";

    private final MemberService members;

    private MemberTools(MemberService members) {
        this.members = members;
    }

    record Row(UUID id, String email, String name, Role role, String status, Long billRate, Long costRate) {
        /** Rates are shown to admins and owners only: cost rates are pay data. */
        Map<String, Object> view(Role viewer) {
            boolean seesRates = viewer.isAtLeast(Role.ADMIN);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("email", email);
            view.put("name", name);
            view.put("role", role.value());
            view.put("status", status);
            view.put("bill_rate_minor", seesRates ? billRate : null);
            view.put("cost_rate_minor", seesRates ? costRate : null);
            return view;
        }
    }

    /** The tools of this area. */
    public static List<Tool> all(MemberService members) {
        MemberTools tools = new MemberTools(members);
        Schema byId = Schema.object().requiredId("member_id", Entity.MEMBER, "The membership id");
        return List.of(
                Tool.read(
                        "list_members",
                        "List members",
                        "Lists the workspace's members by name with role and status (active or inactive); rates are"
                                + " shown to admins only. 50 per page by default; pass next_cursor as cursor.",
                        READ,
                        Schema.object()
                                .optional("status", Schema.oneOf("Only this status", List.of("active", "inactive")))
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("members", item()),
                        MemberTools::list),
                Tool.read(
                        "get_member",
                        "Get a member",
                        "Returns one member by membership id.",
                        READ,
                        byId,
                        item(),
                        call -> find(
                                        call.handle(),
                                        call.workspaceId(),
                                        call.args().id("member_id"))
                                .view(call.principal().role())),
                Tool.update(
                        "update_member_rates",
                        "Set a member's rates",
                        "Sets a member's hourly bill and cost rates in minor units (9000 = 90.00); a rate left out"
                                + " stays as it is.",
                        ADMINISTER,
                        Schema.object()
                                .requiredId("member_id", Entity.MEMBER, "The membership id")
                                .optional("bill_rate_minor", Schema.integer("Hourly bill rate", 0, 100_000_000))
                                .optional("cost_rate_minor", Schema.integer("Hourly cost rate", 0, 100_000_000)),
                        item(),
                        tools::rates),
                Tool.consequential(
                        "change_member_role",
                        "Change a member's role",
                        "Changes a member's role (member, manager, admin, owner). Only owners grant or take the owner"
                                + " role, and the last active owner keeps it. The first call returns a"
                                + " confirmation_token and the effect.",
                        ADMINISTER,
                        false,
                        Schema.object()
                                .requiredId("member_id", Entity.MEMBER, "The membership id")
                                .required(
                                        "role",
                                        Schema.oneOf("New role", List.of("member", "manager", "admin", "owner"))),
                        item(),
                        call -> {
                            Row row = tools.checkRoleChange(call);
                            return "Change " + row.name() + "'s role from "
                                    + row.role().value() + " to " + role(call).value() + ".";
                        },
                        tools::changeRole),
                Tool.consequential(
                        "deactivate_member",
                        "Deactivate a member",
                        "Deactivates a member: they lose access to the workspace at once (their connections stop"
                                + " working) and keep their history. The first call returns a confirmation_token.",
                        ADMINISTER,
                        true,
                        byId,
                        item(),
                        call -> {
                            Row row = tools.checkOwnerChange(call);
                            return "Deactivate " + row.name() + " (" + row.email() + "): they lose access to the"
                                    + " workspace now.";
                        },
                        call -> tools.status(call, MemberStatus.INACTIVE)),
                Tool.update(
                        "reactivate_member",
                        "Reactivate a member",
                        "Gives an inactive member their access back with their previous role.",
                        ADMINISTER,
                        byId,
                        item(),
                        call -> tools.status(call, MemberStatus.ACTIVE)));
    }

    private static Map<String, Object> list(ToolCall call) {
        int limit = call.args().limit();
        Optional<String> status = call.args().optionalText("status", 10);
        Optional<List<String>> after = Cursor.decode(call.args(), 2);
        List<Row> rows = call.handle()
                .createQuery(SELECT + " WHERE m.workspace_id = :ws"
                        + " AND (CAST(:status AS text) IS NULL OR m.status = :status)"
                        + " AND (CAST(:afterName AS text) IS NULL"
                        + " OR (lower(u.display_name), m.id) > (lower(:afterName), CAST(:afterId AS uuid)))"
                        + " ORDER BY lower(u.display_name), m.id LIMIT :limit")
                .bind("ws", call.workspaceId())
                .bind("status", status.orElse(null))
                .bind("afterName", after.map(k -> k.get(0)).orElse(null))
                .bind("afterId", after.map(k -> Cursor.id(k.get(1))).orElse(null))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> row(rs))
                .list();
        Role viewer = call.principal().role();
        return Page.of("members", rows, limit, r -> r.view(viewer), r -> List.of(r.name(), r.id().toString()));
    }

    private Map<String, Object> rates(ToolCall call) {
        Row row = find(call.handle(), call.workspaceId(), call.args().id("member_id"));
        OptionalLong bill = optional(call, "bill_rate_minor", row.billRate());
        OptionalLong cost = optional(call, "cost_rate_minor", row.costRate());
        members.setRates(call.handle(), call.workspaceId(), row.id(), bill, cost, call.actor());
        return find(call.handle(), call.workspaceId(), row.id())
                .view(call.principal().role());
    }

    private Map<String, Object> changeRole(ToolCall call) {
        Row row = checkRoleChange(call);
        members.setRole(call.handle(), call.workspaceId(), row.id(), role(call), call.actor());
        return find(call.handle(), call.workspaceId(), row.id())
                .view(call.principal().role());
    }

    private Map<String, Object> status(ToolCall call, MemberStatus status) {
        Row row = checkOwnerChange(call);
        members.setStatus(call.handle(), call.workspaceId(), row.id(), status, call.actor());
        return find(call.handle(), call.workspaceId(), row.id())
                .view(call.principal().role());
    }

    /** Admins manage members and admins; only owners touch owners or make new ones. */
    private Row checkRoleChange(ToolCall call) {
        Row row = checkOwnerChange(call);
        if (role(call) == Role.OWNER && call.principal().role() != Role.OWNER) {
            throw DomainException.invalid("Only an owner can make someone an owner; you are "
                    + call.principal().role().value());
        }
        return row;
    }

    private Row checkOwnerChange(ToolCall call) {
        Row row = find(call.handle(), call.workspaceId(), call.args().id("member_id"));
        if (row.role() == Role.OWNER && call.principal().role() != Role.OWNER) {
            throw DomainException.invalid(row.name() + " is an owner; only an owner can change an owner");
        }
        return row;
    }

    private static Role role(ToolCall call) {
        String value = call.args().text("role", 10);
        return StoredName.parse(Role.class, value)
                .orElseThrow(() -> DomainException.invalid(
                        "role must be one of " + StoredName.allowed(Role.class) + ", got '" + value + "'"));
    }

    private static OptionalLong optional(ToolCall call, String name, Long current) {
        Optional<Long> given = call.args().optionalLong(name, 0, 100_000_000);
        if (given.isPresent()) {
            return OptionalLong.of(given.get());
        }
        return current == null ? OptionalLong.empty() : OptionalLong.of(current);
    }

    /** The member with this id in the workspace; another workspace's member is not found, like a missing one. */
    static Row find(Handle h, UUID workspaceId, UUID id) {
        return h.createQuery(SELECT + " WHERE m.workspace_id = :ws AND m.id = :id")
                .bind("ws", workspaceId)
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .orElseThrow(() -> DomainException.notFound("No member with id " + id + " in this workspace"));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("display_name"),
                StoredName.require(Role.class, rs.getString("role")),
                rs.getString("status"),
                rs.getObject("bill_rate_minor", Long.class),
                rs.getObject("cost_rate_minor", Long.class));
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("id", Schema.string("Membership id", 36))
                .required("email", Schema.string("Email", 254))
                .required("name", Schema.string("Display name", 100))
                .required("role", Schema.string("owner, admin, manager or member", 10))
                .required("status", Schema.string("active or inactive", 10))
                .required("bill_rate_minor", Schema.nullableInteger("Hourly bill rate (admins only)"))
                .required("cost_rate_minor", Schema.nullableInteger("Hourly cost rate (admins only)"))
                .toMap();
    }
}
