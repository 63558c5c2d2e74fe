package com.timether.mcp.tools.workspace;

import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.oauth.check.Principal;
import com.timether.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workspace context tool: what a model needs to know before anything else. */
public final class WorkspaceTools {
    private WorkspaceTools() {}

    /** The tools of this area. */
    public static List<Tool> all() {
        return List.of(Tool.read(
                "get_workspace_context",
                "Get workspace context",
                "Returns the workspace this connection is bound to (name, plan, billing state, time zone, currency,"
                        + " week start, lock date, capabilities), the signed-in person and their role, and the"
                        + " scopes granted. Call this first to learn what you may do.",
                Requirement.of(Scope.READ, Role.MEMBER),
                Schema.object(),
                output(),
                WorkspaceTools::context));
    }

    private static Map<String, Object> context(ToolCall call) {
        Principal p = call.principal();
        Workspace w = p.workspace();
        Map<String, Object> workspace = new LinkedHashMap<>();
        workspace.put("id", w.id().toString());
        workspace.put("name", w.name());
        workspace.put("plan", w.plan().value());
        workspace.put("billing_state", w.billingState().value());
        workspace.put("is_read_only", !w.billingState().allowsWrites());
        workspace.put("time_zone", w.timeZone());
        workspace.put("currency", w.currency());
        workspace.put("week_start", weekStart(w.weekStart()));
        workspace.put("lock_date", w.lockDate().map(Object::toString).orElse(null));
        workspace.put(
                "capabilities",
                w.capabilities().stream().map(Capability::value).sorted().toList());
        workspace.put(
                "entitlements",
                w.entitlements().stream().map(Entitlement::value).sorted().toList());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", p.userId().toString());
        user.put("email", p.userEmail());
        user.put("name", p.userName());
        user.put("member_id", p.memberId().toString());
        user.put("role", p.role().value());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workspace", workspace);
        result.put("user", user);
        result.put("granted_scopes", List.of(p.scope().withIncluded().split(" ")));
        result.put("client_name", p.clientName());
        return result;
    }

    private static String weekStart(int isoDay) {
        return java.time.DayOfWeek.of(isoDay).name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Object> output() {
        Map<String, Object> strings = Schema.arrayOf(Map.of("type", "string"), "Names");
        return Schema.object()
                .required(
                        "workspace",
                        Schema.object()
                                .required("id", Schema.string("Workspace id", 36))
                                .required("name", Schema.string("Name", 100))
                                .required("plan", Schema.string("free, solo_pro, team or business", 20))
                                .required(
                                        "billing_state",
                                        Schema.string("trialing, active, past_due, unpaid, canceled", 20))
                                .required("is_read_only", Schema.bool("True while billing only allows reading"))
                                .required("time_zone", Schema.string("IANA time zone that cuts days and weeks", 60))
                                .required("currency", Schema.string("ISO 4217 currency", 3))
                                .required("week_start", Schema.string("First day of the week", 10))
                                .required(
                                        "lock_date", Schema.nullableString("Entries on or before this date are locked"))
                                .required("capabilities", strings)
                                .required("entitlements", strings)
                                .toMap())
                .required(
                        "user",
                        Schema.object()
                                .required("id", Schema.string("User id", 36))
                                .required("email", Schema.string("Email", 254))
                                .required("name", Schema.string("Display name", 100))
                                .required("member_id", Schema.string("Membership id in this workspace", 36))
                                .required("role", Schema.string("owner, admin, manager or member", 10))
                                .toMap())
                .required("granted_scopes", strings)
                .required("client_name", Schema.string("The connected application", 100))
                .toMap();
    }
}
