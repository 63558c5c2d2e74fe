package com.timether.access;

import com.timether.access.AccessDecision.Denied;
import com.timether.access.AccessDecision.Reason;
import com.timether.workspace.WorkspaceStatus;

/**
 * The one rule of PRODUCT section 3, used by pages and MCP alike: scope, role, entitlement, billing state
 * and capability. Pure: it reads only its arguments.
 */
public final class AccessPolicy {
    private static final AccessDecision ALLOWED = new AccessDecision.Allowed();

    private AccessPolicy() {}

    /** Decides whether a caller in {@code context} may do what {@code requirement} describes. */
    public static AccessDecision decide(Requirement requirement, AccessContext context) {
        if (context.status() != WorkspaceStatus.ACTIVE) {
            return new Denied(
                    Reason.WORKSPACE_INACTIVE,
                    "The workspace is " + context.status().value() + ", not active.");
        }
        if (!context.billingState().allowsAccess()) {
            return new Denied(
                    Reason.BILLING_BLOCKED,
                    "The workspace's billing state is " + context.billingState().value()
                            + "; an owner must settle billing before it can be used.");
        }
        if (requirement.scope() != Scope.READ && !context.billingState().allowsWrites()) {
            return new Denied(
                    Reason.BILLING_READ_ONLY,
                    "The workspace is read-only while its billing state is "
                            + context.billingState().value() + ".");
        }
        if (requirement.entitlement().isPresent()
                && !context.entitlements().contains(requirement.entitlement().get())) {
            return new Denied(
                    Reason.NOT_ENTITLED,
                    "The workspace's plan does not include "
                            + requirement.entitlement().get().value() + ".");
        }
        if (requirement.capability().isPresent()
                && !context.capabilities().contains(requirement.capability().get())) {
            return new Denied(
                    Reason.CAPABILITY_OFF,
                    "The " + requirement.capability().get().value() + " capability is switched off in this workspace.");
        }
        if (!context.role().isAtLeast(requirement.leastRole())) {
            return new Denied(
                    Reason.ROLE_TOO_LOW,
                    "This needs the " + requirement.leastRole().value() + " role or above; you are "
                            + context.role().value() + ".");
        }
        if (!context.scope().includes(requirement.scope())) {
            return new Denied(
                    Reason.SCOPE_TOO_NARROW,
                    "This needs the " + requirement.scope().value() + " scope; the connection has "
                            + context.scope().value() + ".");
        }
        return ALLOWED;
    }
}
