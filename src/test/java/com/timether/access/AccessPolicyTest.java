package com.timether.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.access.AccessDecision.Denied;
import com.timether.access.AccessDecision.Reason;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.WorkspaceStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {

    // The orders of PRODUCT section 3, written out here rather than taken from the enums' own helpers.
    private static final List<Role> ROLES_LEAST_FIRST = List.of(Role.MEMBER, Role.MANAGER, Role.ADMIN, Role.OWNER);
    private static final List<Scope> SCOPES_NARROWEST_FIRST = List.of(Scope.READ, Scope.WRITE, Scope.ADMIN);
    private static final Set<BillingState> FULL_ACCESS = EnumSet.of(BillingState.TRIALING, BillingState.ACTIVE);
    private static final Set<BillingState> READ_ONLY = EnumSet.of(BillingState.PAST_DUE);

    private static final List<Requirement> REQUIREMENTS = requirements();
    private static final List<Set<Capability>> CAPABILITY_SWITCHES = capabilitySwitches();

    static Stream<Arguments> workspaces() {
        List<Arguments> all = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Plan plan : Plan.values()) {
                for (BillingState billing : BillingState.values()) {
                    for (WorkspaceStatus status : WorkspaceStatus.values()) {
                        all.add(Arguments.of(role, plan, billing, status));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} in a {1} workspace, billing {2}, status {3}")
    @MethodSource("workspaces")
    void decide_everyScopeCapabilityAndRequirement_matchesProductRules(
            Role role, Plan plan, BillingState billing, WorkspaceStatus status) {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;

        for (Set<Capability> capabilities : CAPABILITY_SWITCHES) {
            for (Scope scope : Scope.values()) {
                var context = new AccessContext(scope, role, plan.entitlements(), billing, status, capabilities);
                for (Requirement requirement : REQUIREMENTS) {
                    checked++;
                    String mismatch = mismatch(requirement, context, AccessPolicy.decide(requirement, context));
                    if (mismatch != null && mismatches.size() < 20) {
                        mismatches.add(mismatch + "\n  for " + requirement + "\n  in " + context);
                    }
                }
            }
        }

        assertThat(checked).isEqualTo(CAPABILITY_SWITCHES.size() * Scope.values().length * REQUIREMENTS.size());
        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void maxGrantableScope_eachRole_isAdminOnlyForAdminsAndOwners(Role role) {
        Scope expected = role == Role.ADMIN || role == Role.OWNER ? Scope.ADMIN : Scope.WRITE;

        assertThat(role.maxGrantableScope()).isEqualTo(expected);
    }

    @Test
    void consent_memberAskingAdminScope_grantsWriteAndAdminToolsStayRefused() {
        Scope granted = Scope.ADMIN.min(Role.MEMBER.maxGrantableScope());
        var member = context(granted, Role.MEMBER, Plan.BUSINESS, BillingState.ACTIVE, WorkspaceStatus.ACTIVE);

        AccessDecision adminTool = AccessPolicy.decide(Requirement.of(Scope.ADMIN, Role.MEMBER), member);
        AccessDecision writeTool = AccessPolicy.decide(Requirement.of(Scope.WRITE, Role.MEMBER), member);

        assertThat(granted).isEqualTo(Scope.WRITE);
        assertThat(adminTool).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.SCOPE_TOO_NARROW);
            assertThat(denied.message()).contains("timether:admin", "timether:write");
        });
        assertThat(writeTool.isAllowed()).isTrue();
    }

    @Test
    void decide_pastDueWorkspace_allowsReadButRefusesWriteAndAdmin() {
        var owner = context(Scope.ADMIN, Role.OWNER, Plan.TEAM, BillingState.PAST_DUE, WorkspaceStatus.ACTIVE);

        AccessDecision read = AccessPolicy.decide(Requirement.of(Scope.READ, Role.MEMBER), owner);
        AccessDecision write = AccessPolicy.decide(Requirement.of(Scope.WRITE, Role.MEMBER), owner);
        AccessDecision admin = AccessPolicy.decide(Requirement.of(Scope.ADMIN, Role.ADMIN), owner);

        assertThat(read.isAllowed()).isTrue();
        assertThat(List.of(write, admin))
                .allSatisfy(decision -> assertThat(decision).isInstanceOfSatisfying(Denied.class, denied -> {
                    assertThat(denied.reason()).isEqualTo(Reason.BILLING_READ_ONLY);
                    assertThat(denied.message()).contains("read-only", "past_due");
                }));
    }

    @ParameterizedTest
    @EnumSource(
            value = BillingState.class,
            names = {"UNPAID", "CANCELED"})
    void decide_unpaidOrCanceledWorkspace_refusesEvenReading(BillingState billing) {
        var owner = context(Scope.ADMIN, Role.OWNER, Plan.BUSINESS, billing, WorkspaceStatus.ACTIVE);

        AccessDecision read = AccessPolicy.decide(Requirement.of(Scope.READ, Role.MEMBER), owner);

        assertThat(read).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.BILLING_BLOCKED);
            assertThat(denied.message()).contains(billing.value());
        });
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkspaceStatus.class,
            names = {"SUSPENDED", "CLOSED"})
    void decide_workspaceNotActive_refusesOwnerWithAdminScope(WorkspaceStatus status) {
        var owner = context(Scope.ADMIN, Role.OWNER, Plan.BUSINESS, BillingState.ACTIVE, status);

        AccessDecision read = AccessPolicy.decide(Requirement.of(Scope.READ, Role.MEMBER), owner);

        assertThat(read).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.WORKSPACE_INACTIVE);
            assertThat(denied.message()).contains(status.value());
        });
    }

    @Test
    void decide_freePlanAskingPublicApiAccess_isNotEntitled() {
        var owner = context(Scope.ADMIN, Role.OWNER, Plan.FREE, BillingState.ACTIVE, WorkspaceStatus.ACTIVE);
        var mcp = Requirement.of(Scope.READ, Role.MEMBER).entitled(Entitlement.PUBLIC_API_ACCESS);

        AccessDecision decision = AccessPolicy.decide(mcp, owner);

        assertThat(decision).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.NOT_ENTITLED);
            assertThat(denied.message()).contains("public_api_access");
        });
    }

    @Test
    void decide_invoicesSwitchedOff_refusesInvoiceToolToOwner() {
        var capabilities = EnumSet.complementOf(EnumSet.of(Capability.INVOICES));
        var owner = new AccessContext(
                Scope.ADMIN,
                Role.OWNER,
                Plan.BUSINESS.entitlements(),
                BillingState.ACTIVE,
                WorkspaceStatus.ACTIVE,
                capabilities);
        var issueInvoice = Requirement.of(Scope.WRITE, Role.ADMIN)
                .entitled(Entitlement.INVOICES)
                .capable(Capability.INVOICES);

        AccessDecision decision = AccessPolicy.decide(issueInvoice, owner);

        assertThat(decision).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.CAPABILITY_OFF);
            assertThat(denied.message()).contains("invoices", "switched off");
        });
    }

    @Test
    void decide_managerAskingAdminTool_isRoleTooLowNamingBothRoles() {
        var manager = context(Scope.WRITE, Role.MANAGER, Plan.BUSINESS, BillingState.TRIALING, WorkspaceStatus.ACTIVE);

        AccessDecision decision = AccessPolicy.decide(Requirement.of(Scope.WRITE, Role.ADMIN), manager);

        assertThat(decision).isInstanceOfSatisfying(Denied.class, denied -> {
            assertThat(denied.reason()).isEqualTo(Reason.ROLE_TOO_LOW);
            assertThat(denied.message()).contains("admin", "manager");
        });
    }

    @Test
    void scopeParse_wireValues_roundTripAndUnknownIsEmpty() {
        for (Scope scope : Scope.values()) {
            assertThat(Scope.parse(scope.value())).contains(scope);
        }

        assertThat(Scope.parse("timether:root")).isEmpty();
        assertThat(Scope.parse("READ")).isEmpty();
        assertThat(Scope.parse(null)).isEmpty();
    }

    /**
     * The oracle: every rule of PRODUCT sections 2 and 3 the caller breaks, most fundamental first (the
     * workspace itself, its billing, its plan, its switches, then the person, then the connection).
     */
    private static List<Reason> brokenRules(Requirement requirement, AccessContext context) {
        List<Reason> broken = new ArrayList<>();
        if (context.status() != WorkspaceStatus.ACTIVE) {
            broken.add(Reason.WORKSPACE_INACTIVE);
        }
        boolean isWriting = requirement.scope() != Scope.READ;
        if (!FULL_ACCESS.contains(context.billingState()) && !READ_ONLY.contains(context.billingState())) {
            broken.add(Reason.BILLING_BLOCKED);
        } else if (isWriting && READ_ONLY.contains(context.billingState())) {
            broken.add(Reason.BILLING_READ_ONLY);
        }
        if (requirement
                .entitlement()
                .filter(e -> !context.entitlements().contains(e))
                .isPresent()) {
            broken.add(Reason.NOT_ENTITLED);
        }
        if (requirement
                .capability()
                .filter(c -> !context.capabilities().contains(c))
                .isPresent()) {
            broken.add(Reason.CAPABILITY_OFF);
        }
        if (ROLES_LEAST_FIRST.indexOf(context.role()) < ROLES_LEAST_FIRST.indexOf(requirement.leastRole())) {
            broken.add(Reason.ROLE_TOO_LOW);
        }
        if (SCOPES_NARROWEST_FIRST.indexOf(context.scope()) < SCOPES_NARROWEST_FIRST.indexOf(requirement.scope())) {
            broken.add(Reason.SCOPE_TOO_NARROW);
        }
        return broken;
    }

    /** What is wrong with {@code actual}, or null when it is what the oracle expects. */
    private static String mismatch(Requirement requirement, AccessContext context, AccessDecision actual) {
        List<Reason> broken = brokenRules(requirement, context);
        if (broken.isEmpty()) {
            return actual.isAllowed() ? null : "expected allowed, got " + actual;
        }
        if (!(actual instanceof Denied denied)) {
            return "expected denied for " + broken + ", got " + actual;
        }
        if (denied.reason() != broken.getFirst()) {
            return "expected reason " + broken.getFirst() + " (broken: " + broken + "), got " + denied;
        }
        List<String> named = problemWords(denied.reason(), requirement, context);
        boolean namesProblem = named.stream().allMatch(denied.message()::contains);
        return namesProblem ? null : "expected the message to name " + named + ", got '" + denied.message() + "'";
    }

    /** The words a refusal's message must hold so that a person or model knows what to change. */
    private static List<String> problemWords(Reason reason, Requirement requirement, AccessContext context) {
        return switch (reason) {
            case WORKSPACE_INACTIVE -> List.of(context.status().value());
            case BILLING_BLOCKED -> List.of("billing", context.billingState().value());
            case BILLING_READ_ONLY ->
                List.of("read-only", context.billingState().value());
            case NOT_ENTITLED ->
                List.of("plan", requirement.entitlement().orElseThrow().value());
            case CAPABILITY_OFF ->
                List.of(requirement.capability().orElseThrow().value(), "switched off");
            case ROLE_TOO_LOW ->
                List.of(requirement.leastRole().value(), context.role().value());
            case SCOPE_TOO_NARROW ->
                List.of(requirement.scope().value(), context.scope().value());
        };
    }

    /** Every scope and least role, each without and with every entitlement and every capability. */
    private static List<Requirement> requirements() {
        List<Optional<Entitlement>> entitlements = new ArrayList<>(List.of(Optional.empty()));
        Stream.of(Entitlement.values()).map(Optional::of).forEach(entitlements::add);
        List<Optional<Capability>> capabilities = new ArrayList<>(List.of(Optional.empty()));
        Stream.of(Capability.values()).map(Optional::of).forEach(capabilities::add);

        List<Requirement> all = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            for (Role role : Role.values()) {
                for (Optional<Entitlement> entitlement : entitlements) {
                    for (Optional<Capability> capability : capabilities) {
                        all.add(new Requirement(scope, role, entitlement, capability));
                    }
                }
            }
        }
        return List.copyOf(all);
    }

    /** Every combination of capabilities switched on, from none to all. */
    private static List<Set<Capability>> capabilitySwitches() {
        Capability[] each = Capability.values();
        List<Set<Capability>> all = new ArrayList<>();
        for (int bits = 0; bits < 1 << each.length; bits++) {
            Set<Capability> on = EnumSet.noneOf(Capability.class);
            for (int i = 0; i < each.length; i++) {
                if ((bits & 1 << i) != 0) {
                    on.add(each[i]);
                }
            }
            all.add(on);
        }
        return List.copyOf(all);
    }

    private static AccessContext context(
            Scope scope, Role role, Plan plan, BillingState billing, WorkspaceStatus status) {
        return new AccessContext(scope, role, plan.entitlements(), billing, status, EnumSet.allOf(Capability.class));
    }
}
