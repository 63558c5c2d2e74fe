package com.timether.oauth.check;

import com.timether.access.AccessContext;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.workspace.Workspace;
import java.util.UUID;

/**
 * Who an accepted access token speaks for: one person, in one workspace, through one client's connection.
 *
 * @param scope the widest scope the token carries (scopes nest)
 */
public record Principal(
        UUID connectionId,
        String clientId,
        String clientName,
        UUID userId,
        String userEmail,
        String userName,
        UUID memberId,
        Role role,
        Workspace workspace,
        Scope scope) {

    /** The access context the policy decides on. */
    public AccessContext accessContext() {
        return new AccessContext(
                scope,
                role,
                workspace.entitlements(),
                workspace.billingState(),
                workspace.status(),
                workspace.capabilities());
    }
}
