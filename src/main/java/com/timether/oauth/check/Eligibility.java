package com.timether.oauth.check;

import com.timether.access.AccessContext;
import com.timether.access.AccessDecision;
import com.timether.access.AccessPolicy;
import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.oauth.check.TokenCheck.Reason;
import com.timether.workspace.Workspace;
import java.util.Optional;

/**
 * Whether a person's workspace can hold an MCP connection right now (PRODUCT section 4): one rule for the
 * consent page, the code exchange, refresh and every MCP request.
 */
public final class Eligibility {
    /** What any MCP access needs, before a tool's own requirement. */
    static final Requirement MCP_ACCESS = Requirement.of(Scope.READ, Role.MEMBER)
            .entitled(Entitlement.PUBLIC_API_ACCESS)
            .capable(Capability.MCP);

    private Eligibility() {}

    /** A refusal: its reason and a sentence a person can act on. */
    public record Refusal(Reason reason, String description) {}

    /** Why the workspace cannot be used through MCP, or empty when it can. */
    public static Optional<Refusal> check(
            boolean isUserActive, boolean isMemberActive, Role role, Workspace workspace, boolean isMcpOn) {
        if (!isUserActive) {
            return Optional.of(new Refusal(Reason.USER_DISABLED, "The account is disabled."));
        }
        if (!isMemberActive) {
            return Optional.of(new Refusal(
                    Reason.MEMBERSHIP_INACTIVE, "Your membership in " + workspace.name() + " is inactive."));
        }
        if (!isMcpOn) {
            return Optional.of(new Refusal(Reason.MCP_DISABLED, "MCP access is switched off on this server."));
        }
        AccessContext context = new AccessContext(
                Scope.READ,
                role,
                workspace.entitlements(),
                workspace.billingState(),
                workspace.status(),
                workspace.capabilities());
        if (AccessPolicy.decide(MCP_ACCESS, context) instanceof AccessDecision.Denied denied) {
            return Optional.of(new Refusal(reasonOf(denied.reason()), explain(denied, workspace)));
        }
        return Optional.empty();
    }

    private static Reason reasonOf(AccessDecision.Reason reason) {
        return switch (reason) {
            case WORKSPACE_INACTIVE -> Reason.WORKSPACE_INACTIVE;
            case BILLING_BLOCKED, BILLING_READ_ONLY -> Reason.BILLING_BLOCKED;
            case NOT_ENTITLED -> Reason.NOT_ENTITLED;
            case CAPABILITY_OFF -> Reason.MCP_DISABLED_FOR_WORKSPACE;
            case ROLE_TOO_LOW, SCOPE_TOO_NARROW -> Reason.INVALID;
        };
    }

    private static String explain(AccessDecision.Denied denied, Workspace workspace) {
        return switch (denied.reason()) {
            case WORKSPACE_INACTIVE ->
                workspace.name() + " is " + workspace.status().value() + ".";
            case BILLING_BLOCKED, BILLING_READ_ONLY ->
                workspace.name() + " cannot be used while its billing state is "
                        + workspace.billingState().value() + ".";
            case NOT_ENTITLED ->
                // An override can withhold what the plan includes; blaming the plan would send people to upgrade.
                workspace.plan().entitlements().contains(Entitlement.PUBLIC_API_ACCESS)
                        ? "API access is turned off for " + workspace.name() + " by an override of its "
                                + workspace.plan().value() + " plan."
                        : "The " + workspace.plan().value() + " plan of " + workspace.name()
                                + " does not include API access (team or business plan needed).";
            case CAPABILITY_OFF -> "An admin switched MCP access off for " + workspace.name() + ".";
            case ROLE_TOO_LOW, SCOPE_TOO_NARROW -> denied.message();
        };
    }
}
