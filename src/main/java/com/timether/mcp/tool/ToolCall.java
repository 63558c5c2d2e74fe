package com.timether.mcp.tool;

import com.timether.audit.AuditLog;
import com.timether.oauth.check.Principal;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * One call of a tool: who calls, with which arguments, and the database handle to use (inside the call's
 * transaction for every tool that writes).
 */
public record ToolCall(String tool, Principal principal, Args args, Handle handle) {

    /** The caller's workspace. */
    public UUID workspaceId() {
        return principal.workspace().id();
    }

    /** Records an audit event for this call's write, in the same transaction. */
    public void audit(String action, String targetType, Object targetId, Map<String, ?> details) {
        AuditLog.record(
                handle,
                workspaceId(),
                new AuditLog.Actor(principal.userId(), AuditLog.Channel.MCP, principal.clientId()),
                action,
                targetType,
                targetId,
                Map.of("tool", tool, "client_name", principal.clientName(), "details", details));
    }
}
