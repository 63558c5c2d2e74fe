package com.timether.audit;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.json.JsonMapper;

/** Writes audit events, always inside the transaction of the change they describe. */
public final class AuditLog {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where a change came from. */
    public enum Channel {
        WEB,
        MCP,
        CLI,
        SYSTEM
    }

    /**
     * Who acted: a user (absent for the operator's command line), through which channel and, for MCP,
     * which OAuth client and tool.
     */
    public record Actor(UUID userId, Channel channel, String clientId, String tool) {

        /** The operator at the command line. */
        public static Actor operator() {
            return new Actor(null, Channel.CLI, null, null);
        }

        /** A signed-in person using the pages. */
        public static Actor web(UUID userId) {
            return new Actor(userId, Channel.WEB, null, null);
        }

        /** A person acting through an MCP client's tool. */
        public static Actor mcp(UUID userId, String clientId, String tool) {
            return new Actor(userId, Channel.MCP, clientId, tool);
        }
    }

    private AuditLog() {}

    /** Records that {@code actor} did {@code action} to a target, within {@code handle}'s transaction. */
    public static void record(
            Handle handle,
            UUID workspaceId,
            Actor actor,
            String action,
            String targetType,
            Object targetId,
            Map<String, ?> details) {
        handle.createUpdate("INSERT INTO audit_events"
                        + " (workspace_id, actor_id, channel, client_id, action, target_type, target_id,"
                        + " details)"
                        + " VALUES (:workspace, :actor, :channel, :client, :action, :type, :target,"
                        + " CAST(:details AS jsonb))")
                .bind("workspace", workspaceId)
                .bind("actor", actor.userId())
                .bind("channel", actor.channel().name().toLowerCase(Locale.ROOT))
                .bind("client", actor.clientId())
                .bind("action", action)
                .bind("type", targetType)
                .bind("target", targetId == null ? null : targetId.toString())
                .bind("details", JSON.writeValueAsString(withTool(actor, details)))
                .execute();
    }

    private static Map<String, Object> withTool(Actor actor, Map<String, ?> details) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(details);
        if (actor.tool() != null) {
            all.put("tool", actor.tool());
        }
        return all;
    }
}
