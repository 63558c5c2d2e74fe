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

    /** Who acts: the person, through this connection's client and this tool. */
    public AuditLog.Actor actor() {
        return AuditLog.Actor.mcp(principal.userId(), principal.clientId(), tool);
    }

    /** Records an audit event for this call's write, in the same transaction. */
    public void audit(String action, String targetType, Object targetId, Map<String, ?> details) {
        AuditLog.record(
                handle,
                workspaceId(),
                actor(),
                action,
                targetType,
                targetId,
                Map.of("client_name", principal.clientName(), "details", details));
    }
}
