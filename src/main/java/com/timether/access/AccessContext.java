package com.timether.access;

import com.timether.workspace.BillingState;
import com.timether.workspace.WorkspaceStatus;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What is true of one caller in one workspace right now.
 *
 * @param scope the scope granted to the connection (for pages: {@link Scope#ADMIN}, the role limits)
 * @param role the caller's role
 * @param entitlements the workspace's effective entitlements (plan plus overrides)
 * @param billingState the workspace's billing state
 * @param status the workspace's status
 * @param capabilities the capabilities an admin left switched on
 */
public record AccessContext(
        Scope scope,
        Role role,
        Set<Entitlement> entitlements,
        BillingState billingState,
        WorkspaceStatus status,
        Set<Capability> capabilities) {

    public AccessContext {
        // Enum sets: a context is made for every MCP request, and hashed copies showed in allocation profiles.
        entitlements = Collections.unmodifiableSet(copy(entitlements, Entitlement.class));
        capabilities = Collections.unmodifiableSet(copy(capabilities, Capability.class));
    }

    private static <E extends Enum<E>> Set<E> copy(Set<E> values, Class<E> type) {
        Set<E> copy = EnumSet.noneOf(type);
        copy.addAll(values);
        return copy;
    }
}
